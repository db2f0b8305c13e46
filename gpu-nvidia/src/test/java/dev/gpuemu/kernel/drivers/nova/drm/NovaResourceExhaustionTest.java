package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.drivers.nova.core.NovaAuxData;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.regs.nvidia.NvRegs;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.nova.NovaClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// Hostile sizes and counts on nova-drm with the real GA102, through the process syscall path.
/// Each is answered with an errno: upstream nova's where upstream has the ioctl (GEM_CREATE:
/// drivers/gpu/drm/nova/gem.rs, file.rs — size 0 or a page-rounding overflow `EINVAL`; a size
/// beyond `MAX_LFS_FILESIZE` fails in `shmem_file_setup` with `EINVAL`), gpuemu's extension's
/// documented errno otherwise (docs/uapi nova_gpuemu: VRAM exhausted `ENOMEM`, 16 VMs and 16
/// channels per file `EBUSY`, no free hardware channel `EBUSY`, overlap `EEXIST`, misaligned or
/// out-of-range binds `EINVAL`). After each: no oops, no exception out of the model, and once the
/// files are closed all VRAM and every pool page is back and a normal copy still runs.
class NovaResourceExhaustionTest {
    private Ga102DrmRig rig;
    private int poolAtStart;
    private long vramAtStart;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Ga102DrmRig();
        poolAtStart = pool().pagesInUse();
        vramAtStart = aux().freeVram();
    }

    @AfterEach
    void tearDown() {
        assertEquals(vramAtStart, aux().freeVram(), "all VRAM back");
        assertEquals(poolAtStart, pool().pagesInUse(), "every pool page back");
        assertStillCopies();
        assertEquals(0, rig.oopses(), () -> String.join("\n", rig.log));
        rig.close();
        assertTrue(rig.machine.report().clean(), rig.machine.report().toString());
    }

    private SystemMemory pool() {
        return rig.machine.kernel().hw().memory();
    }

    private NovaAuxData aux() {
        return rig.drmData.registrationData().aux();
    }

    private static Errno errnoOf(Executable call) {
        return assertThrows(DrmErrnoException.class, call).errno();
    }

    /// A fresh file runs a sysmem → VRAM → sysmem copy.
    private void assertStillCopies() {
        try (NovaParty p = NovaParty.open(rig, "after")) {
            var vram = p.mapNew(p.vm.id(), 0x800_0000L, NovaParty.BYTES, true, false);
            NovaParty.fill(p.src, 42);
            int ch = p.nova.channelCreate(p.vm.id());
            assertEquals(0, p.run(ch, NovaParty.copy(NovaParty.SRC, 0x800_0000L, NovaParty.BYTES)).error());
            assertEquals(0, p.run(ch, NovaParty.copy(0x800_0000L, NovaParty.DST, NovaParty.BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(vram, 42));
            assertEquals(-1, NovaParty.firstMismatch(p.dst, 42));
        }
    }

    @Test
    void shouldAnswerEinvalForZeroAndOverflowingSizesAndEnomemBeyondVram() {
        try (NovaParty p = NovaParty.open(rig, "sizes")) {
            NovaClient n = p.nova;
            long vram = aux().usableVramSize();
            assertAll(
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.gemCreate(0)), "upstream: size 0"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.gemCreate(-1L)), "upstream: 2^64-1 rounds past 2^64"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.gemCreate(-4096L)), "upstream: 2^64-4K"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.gemCreate(1L << 63)), "upstream: > MAX_LFS_FILESIZE"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.createSysmem(0)), "extension: size 0"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.createSysmem(-1L)), "extension: overflow"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.createVram(0)), "VRAM: size 0"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.createVram(-4095L)), "VRAM: overflow"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.createVram(1L << 63)), "VRAM: 2^63"),
                    () -> assertEquals(Errno.ENOMEM, errnoOf(() -> n.createVram(vram + 4096)), "VRAM: more than there is"),
                    () -> assertEquals(Errno.ENOMEM, errnoOf(() -> n.createVram(1L << 62)), "VRAM: far more"));
            // A system-memory object larger than the machine: shmem is lazy, so creating it works
            // (as in Linux); binding it pins every page, which the pool cannot give.
            long huge = 4L * pool().size();
            int before = pool().pagesInUse();
            NovaClient.Bo big = n.createSysmem(huge);
            assertEquals(huge, n.gemInfo(big.handle()));
            assertEquals(before, pool().pagesInUse(), "no page taken for the lazy object");
            assertEquals(Errno.ENOMEM, errnoOf(() -> n.vmMap(p.vm.id(), big.handle(), 0, 0x1_0000_0000L, huge, false)));
            assertEquals(before, pool().pagesInUse(), "the failed pin left nothing behind");
            n.gemClose(big.handle());
        }
    }

    @Test
    void shouldFillVramAndRamWithObjectsUntilEnomemAndGiveEverythingBackAtClose() {
        try (NovaParty p = NovaParty.open(rig, "hog")) {
            long chunk = 16L << 20;
            int vramObjects = 0;
            while (true) {
                try {
                    p.nova.createVram(chunk);
                    vramObjects++;
                } catch (DrmErrnoException e) {
                    assertEquals(Errno.ENOMEM, e.errno());
                    break;
                }
            }
            assertEquals(aux().usableVramSize() / chunk, vramObjects, "every whole 16 MiB of VRAM was handed out");
            assertTrue(aux().freeVram() < chunk);
            // System memory: 1 MiB objects, each bound (pinned) at its own VA, until the pool runs dry.
            long sysChunk = 1L << 20;
            int bound = 0;
            List<Integer> handles = new ArrayList<>();
            while (true) {
                NovaClient.Bo bo = p.nova.createSysmem(sysChunk);
                handles.add(bo.handle());
                try {
                    p.nova.vmMap(p.vm.id(), bo.handle(), 0, 0x1_0000_0000L + bound * sysChunk, sysChunk, false);
                    bound++;
                } catch (DrmErrnoException e) {
                    assertEquals(Errno.ENOMEM, e.errno(), "the pool ran out");
                    break;
                }
                assertTrue(bound < 4096, "the pool never ran out");
            }
            assertTrue((long) bound * sysChunk > pool().size() / 2, "most of RAM went into objects: " + bound);
        }
    }

    @Test
    void shouldCapVmsAndChannelsPerFileAndChannelsPerDevice() {
        List<NovaParty> files = new ArrayList<>();
        try {
            NovaParty first = NovaParty.open(rig, "file0");
            files.add(first);
            for (int i = 1; i < NovaFile.MAX_VMS; i++) {
                first.nova.vmCreate();
            }
            assertEquals(Errno.EBUSY, errnoOf(first.nova::vmCreate), "the 17th VM of a file");
            int hw = NvRegs.INTR_CHANNELS; // nova-core's hardware channels (one NV_PMC_INTR leaf bit each)
            int perFile = NovaFile.MAX_CHANNELS;
            for (int i = 0; i < perFile; i++) {
                first.nova.channelCreate(first.vm.id());
            }
            assertEquals(Errno.EBUSY, errnoOf(() -> first.nova.channelCreate(first.vm.id())), "the 17th channel of a file");
            int made = perFile;
            while (made < hw) {
                NovaParty f = NovaParty.open(rig, "file" + files.size());
                files.add(f);
                for (int i = 0; i < perFile && made < hw; i++, made++) {
                    f.nova.channelCreate(f.vm.id());
                }
            }
            NovaParty last = NovaParty.open(rig, "one-too-many");
            files.add(last);
            assertEquals(Errno.EBUSY, errnoOf(() -> last.nova.channelCreate(last.vm.id())),
                    "the device's 65th channel: nova-core has no free hardware channel");
            assertEquals(hw, rig.drmData.registrationData().channels().size());
            files.remove(1).close(); // a file's close frees its 16 hardware channels
            int ch = last.nova.channelCreate(last.vm.id());
            NovaParty.fill(last.src, 7);
            assertEquals(0, last.run(ch, NovaParty.copy(NovaParty.SRC, NovaParty.DST, NovaParty.BYTES)).error());
            assertEquals(-1, NovaParty.firstMismatch(last.dst, 7));
        } finally {
            files.forEach(NovaParty::close);
        }
        assertEquals(List.of(), rig.drmData.registrationData().channels());
    }

    @Test
    void shouldBindAcrossEveryPageTableLevelAndAtTheTopAndRefuseBadBinds() {
        try (NovaParty p = NovaParty.open(rig, "deep")) {
            NovaClient n = p.nova;
            int vm = p.vm.id();
            NovaClient.Bo page = n.createSysmem(4096);
            long end = NovaGpuemu.NOVA_GPUEMU_VA_END;
            // One page in every 512 MiB of the user range: a PD0 and a page table under every PD1
            // entry (GMMU v2: PD1 entries span 512 MiB, PD0 entries 2 MiB).
            int deep = 0;
            for (long va = 1L << 29; va < end; va += 1L << 29) {
                n.vmMap(vm, page.handle(), 0, va, 4096, false);
                deep++;
            }
            // ...and a full page table and one page in every 2 MiB of one PD0.
            n.vmMap(vm, n.createSysmem(2L << 20).handle(), 0, 0x40_0000L, 2L << 20, false);
            for (long va = 0x4000_0000L + (2L << 20); va < 0x6000_0000L; va += 2L << 20) {
                n.vmMap(vm, page.handle(), 0, va, 4096, false);
                deep++;
            }
            long top = end - 4096;
            n.vmMap(vm, page.handle(), 0, top, 4096, false);
            assertAll(
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, end, 4096, false)), "at VA_END"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, -4096L, 4096, false)), "VA + range wraps"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, 0x1000, 4096, false)), "below VA_START"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, 0x7000_0800L, 4096, false)), "unaligned VA"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0x800, 0x7000_0000L, 4096, false)), "unaligned offset"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, 0x7000_0000L, 0x800, false)), "unaligned range"),
                    () -> assertEquals(Errno.EINVAL, errnoOf(() -> n.vmMap(vm, page.handle(), 0, 0x7000_0000L, 8192, false)), "beyond the object"),
                    () -> assertEquals(Errno.EEXIST, errnoOf(() -> n.vmMap(vm, page.handle(), 0, top, 4096, false)), "the same page twice"),
                    () -> assertEquals(Errno.EEXIST, errnoOf(() -> n.vmMap(vm, page.handle(), 0, 0x40_0000L + (1L << 20), 4096, false)), "inside a mapping"),
                    () -> assertEquals(Errno.ENOENT, errnoOf(() -> n.vmUnmap(vm, 0x40_0000L, 4096)), "part of a mapping"));
            // The deep mappings really reach their page: a copy through the topmost and the first.
            NovaParty.fill(p.src, 5);
            int ch = n.channelCreate(vm);
            assertEquals(0, p.run(ch, NovaParty.copy(NovaParty.SRC, top, 4096)).error());
            assertEquals(0, p.run(ch, NovaParty.copy(1L << 29, NovaParty.DST, 4096)).error());
            for (long i = 0; i < 4096 / 8; i++) {
                assertEquals(NovaParty.word(5, i), p.dst.getLong(8 * i), "the same page behind both VAs");
            }
            assertTrue(deep > 2000, "mappings: " + deep);
            n.vmUnmap(vm, top, 4096);
            for (long va = 1L << 29; va < end; va += 1L << 29) {
                n.vmUnmap(vm, va, 4096);
            }
        }
    }
}
