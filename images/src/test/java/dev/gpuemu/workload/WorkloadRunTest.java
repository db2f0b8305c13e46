package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadRunTest {
    @Test
    void shouldComputeFactorialByMmioAndSeeTheIrqLine() throws Exception {
        WorkloadResult r = TestMachines.run("""
                irq mask 16
                mmio write32 edu/bar0 0x20 0x80
                mmio write32 edu/bar0 0x08 10
                mmio read32 edu/bar0 0x20 -> $st
                assert $st == 0x81 "computing"
                irq expect low 16
                clock step 2us
                irq expect high 16
                mmio read32 edu/bar0 0x08 -> $v
                assert $v == 3628800 "factorial by MMIO"
                mmio write32 edu/bar0 0x64 1
                irq expect low 16
                irq unmask 16
                """);
        assertTrue(r.passed(), r.toString());
        assertEquals(5, r.assertionsPassed());
    }

    @Test
    void shouldLetTheDriverHandleTheIrqWhenTheLineIsNotMasked() throws Exception {
        WorkloadResult r = TestMachines.run("""
                irq count 16 -> $before
                mmio write32 edu-bar0 0x60 0x4
                irq expect low 16 within 1us
                irq count 16 -> $after
                assert $after == $before+1 "one delivery to the edu handler"
                """);
        assertTrue(r.passed(), r.toString());
    }

    @Test
    void shouldCreateMapFillAndVerifyADumbBufferOnVgem() throws Exception {
        WorkloadResult r = TestMachines.run("""
                open /dev/dri/card0 -> $fd
                ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=64 height=64 bpp=32 -> handle=$h size=$size pitch=$pitch
                assert $pitch == 256
                assert $size >= 16384
                ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
                mmap $fd $off $size -> $p
                fill $p $size seed=7
                verify $p $size seed=7
                mem read64 $p+8 -> $w
                mem write64 $p+8 $w+1
                verify $p 8 seed=7
                ioctl $fd DRM_IOCTL_GEM_CLOSE handle=9999 expect EINVAL
                munmap $p $size
                mem read32 $p -> $gone expect SIGSEGV
                ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$h
                close $fd
                close $fd expect EBADF
                """);
        assertTrue(r.passed(), r.toString());
        assertEquals(7, r.assertionsPassed());
    }

    @Test
    void shouldReportTheFirstMismatchOfVerifyAsAFailure() throws Exception {
        WorkloadResult r = TestMachines.run("""
                open /dev/dri/card0 -> $fd
                ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=16 height=16 bpp=32 -> handle=$h size=$size
                ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
                mmap $fd $off $size -> $p
                fill $p $size seed=1
                mem write32 $p+24 0xdeadbeef
                verify $p $size seed=1
                """);
        assertFalse(r.passed());
        assertEquals(1, r.assertionsFailed());
        assertTrue(r.messages().getFirst().startsWith("test.wl:7: verify: mismatch at offset 0x18"), r.messages().toString());
    }

    @Test
    void shouldGiveEnodevAfterUnbindWhileMappedDataStillVerifies() throws Exception {
        WorkloadResult r = TestMachines.run("""
                open /dev/dri/card0 -> $fd
                ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=32 height=32 bpp=32 -> handle=$h size=$size
                ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
                mmap $fd $off $size -> $p
                fill $p $size
                unbind faux faux_driver vgem
                wait unbound faux vgem
                ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h expect ENODEV
                verify $p $size
                unbind faux faux_driver vgem expect ENODEV
                munmap $p $size
                close $fd
                bind faux faux_driver vgem
                wait bound faux vgem within 1ms
                open /dev/dri/card0 -> $fd2
                ioctl $fd2 DRM_IOCTL_GEM_CLOSE handle=1 expect EINVAL
                close $fd2
                """);
        assertTrue(r.passed(), r.toString());
        assertEquals(6, r.assertionsPassed());
    }

    @Test
    void shouldCarryTheMessageLineAndKernelLogTailOfAFailedAssert() throws Exception {
        WorkloadResult r = TestMachines.run("""
                let $x = 6 * 7
                assert $x == 42
                assert $x != 42 "the answer changed"
                print "not reached"
                """);
        assertFalse(r.passed());
        assertEquals(1, r.assertionsPassed());
        assertEquals(1, r.assertionsFailed());
        assertEquals(List.of("test.wl:3: the answer changed: 42 (0x2a) != 42 (0x2a) does not hold"), r.messages());
        assertTrue(r.output().isEmpty());
        assertFalse(r.logTail().isEmpty());
        assertTrue(r.logTail().stream().anyMatch(l -> l.contains("edu 0000:00:04.0")), r.logTail().toString());
    }

    @Test
    void shouldRunThreadsInOneProcessAndHandTheirVariablesToTheJoiner() throws Exception {
        List<String> printed = new ArrayList<>();
        WorkloadResult r = TestMachines.run("t.wl", """
                open /dev/dri/card0 -> $fd
                thread a {
                    repeat 20 as $i {
                        ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=8 height=8 bpp=32 -> handle=$ha
                        ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$ha
                    }
                    let $fromA = 1
                }
                thread b {
                    repeat 20 {
                        ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=8 height=8 bpp=32 -> handle=$hb
                        ioctl $fd DRM_IOCTL_GEM_CLOSE handle=$hb
                    }
                    let $fromB = 2
                }
                join a
                join b
                let $sum = $fromA + $fromB
                print "sum $sum"
                close $fd
                """, printed);
        assertTrue(r.passed(), r.toString());
        assertEquals(List.of("sum 3"), printed);
    }

    @Test
    void shouldFailAndStopEveryThreadWhenOneThreadFails() throws Exception {
        long start = System.nanoTime();
        WorkloadResult r = TestMachines.run("""
                thread spinner {
                    repeat 100000000 {
                        clock step 1us
                    }
                }
                thread bad {
                    clock step 50us
                    assert 1 == 2 "bad thread"
                }
                """);
        assertFalse(r.passed());
        assertEquals(List.of("test.wl:8: thread bad: bad thread: 1 == 2 does not hold"), r.messages());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "stopped, not hung");
    }

    @Test
    void shouldBeDeterministicInSimulatedTimeForTheSameSeed() throws Exception {
        Script s = WorkloadParser.parse("d.wl", """
                open /dev/dri/card0 -> $fd
                repeat 3 as $i {
                    ioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=64 height=64 bpp=32 -> handle=$h size=$size
                    ioctl $fd DRM_IOCTL_MODE_MAP_DUMB handle=$h -> offset=$off
                    mmap $fd $off $size -> $p
                    fill $p $size
                    mmio write32 edu/bar0 0x08 $i+5
                    clock step 3us
                    mmio read32 edu/bar0 0x08 -> $f
                    clock now -> $t
                    print "$i $h $off $f $t"
                }
                """, IoctlRegistry.standard());
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (Machine m = TestMachines.eduVgem(5)) {
            assertTrue(Workload.run(m, s, 5, first::add).passed());
        }
        try (Machine m = TestMachines.eduVgem(5)) {
            assertTrue(Workload.run(m, s, 5, second::add).passed());
        }
        assertEquals(3, first.size());
        assertEquals(first, second);
    }

    @Test
    void shouldCountGuestErrorsAsDataNotFailures() throws Exception {
        try (Machine m = TestMachines.eduVgem(0)) {
            Script s = WorkloadParser.parse("g.wl", """
                    mmio read16 edu/bar0 0x00 -> $bad
                    assert $bad == 0xffff "bad access size answers all ones"
                    mmio write32 0x10 0 0
                    """, IoctlRegistry.standard());
            WorkloadResult r = Workload.run(m, s, 0, x -> { });
            assertTrue(r.passed(), r.toString());
            assertTrue(m.guestErrors().snapshot().values().stream().mapToLong(Long::longValue).sum() >= 2);
        }
    }

    @Test
    void shouldFailWhenARegionDoesNotExist() throws Exception {
        WorkloadResult r = TestMachines.run("mmio read32 nosuch/bar0 0 -> $v\n");
        assertFalse(r.passed());
        assertTrue(r.messages().getFirst().startsWith("test.wl:1: no MMIO region 'nosuch/bar0' (now: edu/bar0"),
                r.messages().toString());
    }
}
