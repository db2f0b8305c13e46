package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// nova-drm on the real GA102 (nova-core, NvHost, GMMU): data goes sysmem → VRAM → sysmem through
/// the copy engine, a copy to an unmapped VA faults the channel with the fence in error, and
/// unbinding nova-core with copies in flight cancels them cleanly.
class NovaDrmGa102Test {
    static final int N = 256 * 1024;
    static final long SRC = 0x100_0000;
    static final long VRAM = 0x200_0000;
    static final long DST = 0x300_0000;
    static final long SEM = 0x400_0000;

    private Ga102DrmRig rig;
    private Process proc;
    private NovaClient nova;

    @BeforeEach
    void setUp() throws Exception {
        rig = new Ga102DrmRig();
        assertTrue(rig.logged("Initialized nova 0.0.0"), String.join("\n", rig.log));
        proc = rig.spawn();
        nova = NovaClient.open(proc, Ga102DrmRig.RENDER);
    }

    @AfterEach
    void tearDown() {
        proc.close();
        rig.close();
    }

    private static long word(long seed, long offset) {
        return (seed * 0x9E37_79B9_7F4A_7C15L) ^ (offset * 0xBF58_476D_1CE4_E5B9L) ^ offset;
    }

    private void write(UserMapping m, int[] words) {
        for (int i = 0; i < words.length; i++) {
            proc.memory().putInt(m.address() + 4L * i, words[i]);
        }
    }

    private void fill(UserMapping m, long seed) {
        for (long o = 0; o < m.length(); o += 8) {
            proc.memory().putLong(m.address() + o, word(seed, o));
        }
    }

    private boolean matches(UserMapping m, long seed) {
        for (long o = 0; o < m.length(); o += 8) {
            if (proc.memory().getLong(m.address() + o) != word(seed, o)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldCopySysmemToVramAndBackThroughTheCopyEngine() {
        assertEquals(256L << 20, nova.vramBarSize());
        NovaClient.Vm vm = nova.vmCreate();
        NovaClient.Bo src = nova.createSysmem(N);
        NovaClient.Bo vram = nova.createVram(N);
        NovaClient.Bo dst = nova.createSysmem(N);
        NovaClient.Bo sem = nova.createSysmem(4096);
        NovaClient.Bo pb = nova.createSysmem(4096);
        nova.vmMap(vm.id(), src.handle(), 0, SRC, N, true);
        nova.vmMap(vm.id(), vram.handle(), 0, VRAM, N, false);
        nova.vmMap(vm.id(), dst.handle(), 0, DST, N, false);
        nova.vmMap(vm.id(), sem.handle(), 0, SEM, 4096, false);
        int ch = nova.channelCreate(vm.id());
        NvPush first = new NvPush().setObject().copy(SRC, VRAM, N, SEM, 1);
        NvPush second = new NvPush().copy(VRAM, DST, N, SEM, 2);
        try (UserMapping s = nova.mmap(src); UserMapping d = nova.mmap(dst); UserMapping p = nova.mmap(pb);
             UserMapping sm = nova.mmap(sem)) {
            fill(s, 11);
            write(p, first.words());
            int[] w2 = second.words();
            for (int i = 0; i < w2.length; i++) {
                proc.memory().putInt(p.address() + 4L * (first.dwords() + i), w2[i]);
            }
            int s1 = nova.syncobjCreate();
            int s2 = nova.syncobjCreate();
            nova.submit(ch, pb.handle(), 0, first.dwords(), new int[0], new int[] {s1});
            nova.submit(ch, pb.handle(), 4L * first.dwords(), second.dwords(), new int[] {s1}, new int[] {s2});
            nova.syncobjWait(s2, Long.MAX_VALUE);
            assertTrue(matches(d, 11), "data came back from VRAM");
            assertEquals(2, proc.memory().getInt(sm.address()));
            DmaFence f = rig.drmData.registrationData().channels().getFirst().lastFence();
            assertTrue(f.isSignaled());
            assertEquals(0, f.error());
        }
        assertFalse(nova.channelState(ch).faulted());
        nova.channelDestroy(ch);
        nova.vmDestroy(vm.id());
        nova.close();
        assertEquals(0, rig.oopses());
    }

    @Test
    void shouldFaultACopyToAnUnmappedVaAndSignalTheFenceWithAnError() {
        NovaClient.Vm vm = nova.vmCreate();
        NovaClient.Bo src = nova.createSysmem(65536);
        NovaClient.Bo pb = nova.createSysmem(4096);
        nova.vmMap(vm.id(), src.handle(), 0, SRC, 65536, false);
        int ch = nova.channelCreate(vm.id());
        NvPush push = new NvPush().copy(SRC, 0x700_0000, 65536, SRC, 1);
        try (UserMapping s = nova.mmap(src); UserMapping p = nova.mmap(pb)) {
            fill(s, 5);
            write(p, push.words());
            int sync = nova.syncobjCreate();
            nova.submit(ch, pb.handle(), 0, push.dwords(), new int[0], new int[] {sync});
            nova.syncobjWait(sync, Long.MAX_VALUE);
            DmaFence f = rig.drmData.registrationData().channels().getFirst().lastFence();
            assertEquals(Errno.EIO.negative(), f.error());
            NovaClient.ChannelState st = nova.channelState(ch);
            assertTrue(st.faulted());
            assertTrue(st.faultVa() >= 0x700_0000 && st.faultVa() < 0x701_0000, Long.toHexString(st.faultVa()));
            assertEquals(1, st.error());
            DrmErrnoException e = assertThrows(DrmErrnoException.class,
                    () -> nova.submit(ch, pb.handle(), 0, push.dwords(), new int[0], new int[0]));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(matches(s, 5), "source unchanged: no semaphore, no data written");
        }
        nova.close();
        assertEquals(0, rig.oopses());
    }

    @Test
    void shouldCancelCopiesInFlightWhenNovaCoreUnbindsAndBindAgain() {
        NovaClient.Vm vm = nova.vmCreate();
        int big = 8 << 20;
        NovaClient.Bo src = nova.createSysmem(big);
        NovaClient.Bo vram = nova.createVram(big);
        NovaClient.Bo pb = nova.createSysmem(4096);
        nova.vmMap(vm.id(), src.handle(), 0, SRC, big, false);
        nova.vmMap(vm.id(), vram.handle(), 0, 0x1000_0000L, big, false);
        int ch = nova.channelCreate(vm.id());
        NvPush push = new NvPush().setObject().copy(SRC, 0x1000_0000L, big, SRC, 1);
        try (UserMapping p = nova.mmap(pb)) {
            write(p, push.words());
        }
        for (int i = 0; i < 8; i++) {
            nova.submit(ch, pb.handle(), 0, push.dwords(), new int[0], new int[0]);
        }
        DmaFence last = rig.drmData.registrationData().channels().getFirst().lastFence();
        assertEquals(0, rig.unbindNovaCore());
        assertTrue(last.isSignaled(), "every fence is signalled by unbind");
        assertEquals(Errno.ECANCELED.negative(), last.error(), "the last 8 MiB copy was still queued");
        DrmErrnoException e = assertThrows(DrmErrnoException.class, () -> nova.vmCreate());
        assertEquals(Errno.ENODEV, e.errno());
        nova.close(); // late close of the orphaned file
        assertEquals(0, rig.oopses());
        assertEquals(0, rig.bindNovaCore());
        Process p2 = rig.spawn();
        try (NovaClient again = NovaClient.open(p2, Ga102DrmRig.RENDER)) {
            assertEquals(256L << 20, again.vramBarSize());
        }
        p2.close();
        assertEquals(0, rig.oopses());
    }

    /// IGT `hotreplug-lateclose`: fd open with a VRAM object mapped, `remove` the GPU, `rescan`, a
    /// new fd works (fresh device), then the old fd closes cleanly.
    @Test
    void shouldSurviveRemoveAndRescanWithAnOpenFileClosedLate() throws Exception {
        NovaClient.Bo vram = nova.createVram(8192);
        UserMapping m = nova.mmap(vram);
        proc.memory().putInt(m.address(), 42);
        rig.machine.kernel().pciBus().remove(Ga102DrmRig.DEV);
        DrmErrnoException e = assertThrows(DrmErrnoException.class, () -> nova.gemInfo(vram.handle()));
        assertEquals(Errno.ENODEV, e.errno());
        assertEquals(1, rig.machine.kernel().pciBus().rescan().size());
        // The removed device still holds renderD128 through the open file (minor numbers are
        // freed at the last reference, as in Linux): the rescanned GPU gets the next one.
        assertEquals(java.util.List.of("/dev/dri/card1", "/dev/dri/renderD129"),
                dev.gpuemu.kernel.drm.DrmCore.of(rig.machine.kernel()).nodes().stream().sorted().toList());
        Process p2 = rig.spawn();
        try (NovaClient again = NovaClient.open(p2, "/dev/dri/renderD129")) {
            assertEquals(256L << 20, again.vramBarSize());
            NovaClient.Bo b = again.createVram(8192);
            assertEquals(8192, again.gemInfo(b.handle()));
        }
        p2.close();
        m.close();
        nova.close();
        assertEquals(0, rig.oopses());
    }
}
