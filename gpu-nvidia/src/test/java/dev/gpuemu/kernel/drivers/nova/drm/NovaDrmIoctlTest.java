package dev.gpuemu.kernel.drivers.nova.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/// Every nova ioctl, good and bad, through the render node of the real DRM core, with nova-core
/// played by [FakeNovaCore] (the GA102 end-to-end path is in the workloads).
class NovaDrmIoctlTest {
    private FakeNovaRig rig;
    private Process proc;
    private NovaClient nova;

    @BeforeEach
    void setUp() throws Exception {
        rig = new FakeNovaRig();
        proc = rig.spawn();
        nova = NovaClient.open(proc, FakeNovaRig.RENDER);
    }

    @AfterEach
    void tearDown() {
        nova.close();
        proc.close();
        rig.close();
        assertEquals(0, rig.oopses());
    }

    private static void errno(Errno e, Executable call) {
        DrmErrnoException ex = assertThrows(DrmErrnoException.class, call);
        assertEquals(e, ex.errno(), ex.getMessage());
    }

    @Test
    void shouldRegisterNovaWithPrimaryAndRenderNodes() {
        assertEquals(List.of(FakeNovaRig.CARD, FakeNovaRig.RENDER),
                DrmCore.of(rig.machine.kernel()).nodes().stream().sorted().toList());
        assertEquals("nova", nova.drm().version().name());
        assertTrue(rig.machine.kernel().log().tail(200).stream().anyMatch(e -> e.toString().contains("Initialized nova 0.0.0")));
    }

    @Test
    void shouldAnswerVramBarSizeAndRefuseOtherParams() {
        assertEquals(FakeNovaCore.BAR1, nova.vramBarSize());
        errno(Errno.EINVAL, () -> nova.getParam(0));
        errno(Errno.EINVAL, () -> nova.getParam(2));
        errno(Errno.EINVAL, () -> nova.getParam(-1));
    }

    @Test
    void shouldRoundGemCreateUpToPagesAndAnswerGemInfo() {
        int h = nova.gemCreate(5000);
        assertEquals(8192, nova.gemInfo(h));
        assertEquals(4096, nova.gemInfo(nova.gemCreate(1)));
        errno(Errno.EINVAL, () -> nova.gemCreate(0));
        errno(Errno.EINVAL, () -> nova.gemCreate(-1L));
        errno(Errno.ENOENT, () -> nova.gemInfo(0));
        errno(Errno.ENOENT, () -> nova.gemInfo(77));
        nova.gemClose(h);
        errno(Errno.ENOENT, () -> nova.gemInfo(h));
    }

    @Test
    void shouldPlaceObjectsInVramUntilItRunsOut() {
        NovaClient.Bo v = nova.createVram(FakeNovaCore.VRAM - 4096);
        assertEquals(FakeNovaCore.VRAM - 4096, v.size());
        assertEquals(4096, rig.core.freeVram());
        errno(Errno.ENOMEM, () -> nova.createVram(8192));
        nova.gemClose(v.handle());
        assertEquals(FakeNovaCore.VRAM, rig.core.freeVram(), "the last handle returns the VRAM");
        errno(Errno.EINVAL, () -> nova.gemCreateExt(4096, 2));
        errno(Errno.EINVAL, () -> nova.createSysmem(0));
        assertEquals(12288, nova.createSysmem(12000).size());
    }

    @Test
    void shouldMmapSysmemAndVramObjects() {
        NovaClient.Bo s = nova.createSysmem(8192);
        try (UserMapping m = nova.mmap(s)) {
            proc.memory().putInt(m.address() + 4096, 0x1234_5678);
            assertEquals(0x1234_5678, proc.memory().getInt(m.address() + 4096));
        }
        NovaClient.Bo v = nova.createVram(4096);
        try (UserMapping m = nova.mmap(v)) {
            proc.memory().putInt(m.address(), 0xCAFE);
        }
        errno(Errno.ENOENT, () -> nova.mmapOffset(99));
    }

    @Test
    void shouldBindAndUnbindWithClearErrnos() {
        NovaClient.Vm vm = nova.vmCreate();
        assertEquals(NovaGpuemu.NOVA_GPUEMU_VA_START, vm.vaStart());
        assertEquals(NovaGpuemu.NOVA_GPUEMU_VA_END, vm.vaEnd());
        NovaClient.Bo bo = nova.createSysmem(64 * 1024);
        long va = 0x100_0000;
        nova.vmMap(vm.id(), bo.handle(), 0, va, 64 * 1024, false);
        errno(Errno.EEXIST, () -> nova.vmMap(vm.id(), bo.handle(), 0, va + 0x8000, 4096, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 0, va + 0x10_0001, 4096, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 100, va + 0x10_0000, 4096, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 0, va + 0x10_0000, 0, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 0, 0x1000, 4096, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 0, NovaGpuemu.NOVA_GPUEMU_VA_END, 4096, false));
        errno(Errno.EINVAL, () -> nova.vmMap(vm.id(), bo.handle(), 60 * 1024, va + 0x10_0000, 8192, false));
        errno(Errno.ENOENT, () -> nova.vmMap(vm.id(), 99, 0, va + 0x10_0000, 4096, false));
        errno(Errno.ENOENT, () -> nova.vmMap(42, bo.handle(), 0, va + 0x10_0000, 4096, false));
        errno(Errno.ENOENT, () -> nova.vmUnmap(vm.id(), va, 4096));
        nova.vmMap(vm.id(), bo.handle(), 4096, va + 0x10_0000, 4096, true);
        nova.gemClose(bo.handle()); // the mappings keep the object
        nova.vmUnmap(vm.id(), va, 64 * 1024);
        nova.vmUnmap(vm.id(), va + 0x10_0000, 4096);
        assertEquals(0, rig.core.vms.getFirst().mappedPages());
        nova.vmDestroy(vm.id());
        errno(Errno.ENOENT, () -> nova.vmDestroy(vm.id()));
        assertTrue(rig.core.vms.getFirst().closed);
    }

    @Test
    void shouldRefuseNonZeroPadsAndFlagsOfTheExtension() {
        NovaClient.Vm vm = nova.vmCreate();
        var arg = java.lang.foreign.Arena.ofAuto().allocate(64);
        NovaGpuemu.VmDestroy.ID.set(arg, vm.id());
        NovaGpuemu.VmDestroy.PAD.set(arg, 1);
        assertEquals(Errno.EINVAL.negative(), nova.ioctl(dev.gpuemu.kernel.uapi.nova.NovaDrm.GPUEMU_VM_DESTROY, arg));
        var c = java.lang.foreign.Arena.ofAuto().allocate(64);
        NovaGpuemu.ChannelCreate.VM_ID.set(c, vm.id());
        NovaGpuemu.ChannelCreate.FLAGS.set(c, 1);
        assertEquals(Errno.EINVAL.negative(), nova.ioctl(dev.gpuemu.kernel.uapi.nova.NovaDrm.GPUEMU_CHANNEL_CREATE, c));
        var v = java.lang.foreign.Arena.ofAuto().allocate(64);
        NovaGpuemu.VmCreate.FLAGS.set(v, 1);
        assertEquals(Errno.EINVAL.negative(), nova.ioctl(dev.gpuemu.kernel.uapi.nova.NovaDrm.GPUEMU_VM_CREATE, v));
    }

    @Test
    void shouldCreateChannelsUntilTheHardwareRunsOutAndRefuseDestroyingABusyVm() {
        NovaClient.Vm vm = nova.vmCreate();
        errno(Errno.ENOENT, () -> nova.channelCreate(9));
        int[] ch = new int[FakeNovaCore.HW_CHANNELS];
        for (int i = 0; i < ch.length; i++) {
            ch[i] = nova.channelCreate(vm.id());
        }
        errno(Errno.EBUSY, () -> nova.channelCreate(vm.id()));
        errno(Errno.EBUSY, () -> nova.vmDestroy(vm.id()));
        for (int c : ch) {
            nova.channelDestroy(c);
        }
        errno(Errno.ENOENT, () -> nova.channelDestroy(ch[0]));
        errno(Errno.ENOENT, () -> nova.channelState(ch[0]));
        nova.vmDestroy(vm.id());
    }

    private int[] channelWithPushbuffer(NvPush push) {
        NovaClient.Vm vm = nova.vmCreate();
        int ch = nova.channelCreate(vm.id());
        NovaClient.Bo pb = nova.createSysmem(4096);
        try (UserMapping m = nova.mmap(pb)) {
            int[] w = push.words();
            for (int i = 0; i < w.length; i++) {
                proc.memory().putInt(m.address() + 4L * i, w[i]);
            }
        }
        return new int[] {ch, pb.handle()};
    }

    private static NvPush copy() {
        return new NvPush().setObject().copy(0x100_0000, 0x200_0000, 4096, 0x300_0000, 1);
    }

    @Test
    void shouldSubmitAShadowCopyAndSignalTheSyncobjWhenNovaCoreCompletes() {
        NvPush push = copy();
        int[] c = channelWithPushbuffer(push);
        int s = nova.syncobjCreate();
        nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[] {s});
        NovaUserChannel uch = rig.registration().channels().getFirst();
        DmaFence f = uch.lastFence();
        assertFalse(f.isSignaled());
        FakeNovaCore.FakeChannel hw = rig.core.channels.getFirst();
        long shadowVa = hw.pushbufferVas.getFirst();
        assertTrue(shadowVa >= NovaGpuemu.NOVA_GPUEMU_VA_END, "the device runs the kernel's shadow, not the user's object");
        assertTrue(hw.vm.readOnly.getLast(), "shadow mapped read-only");
        hw.completeAll();
        assertTrue(f.isSignaled());
        assertEquals(0, f.error());
        nova.syncobjWait(s, Long.MAX_VALUE);
        // a second submit waits on the first's syncobj (already signalled) and retires the shadow
        int s2 = nova.syncobjCreate();
        nova.submit(c[0], c[1], 0, push.dwords(), new int[] {s}, new int[] {s2});
        assertEquals(1, hw.vm.maps.size(), "the first shadow was unmapped at retire");
        assertEquals(NovaGpuemu.NOVA_GPUEMU_CHANNEL_STATE_ACTIVE, nova.channelState(c[0]).state());
    }

    @Test
    void shouldRefuseBadSubmitsWithClearErrnos() {
        NvPush push = copy();
        int[] c = channelWithPushbuffer(push);
        int n = push.dwords();
        int s = nova.syncobjCreate();
        errno(Errno.EINVAL, () -> nova.submit(c[0], c[1], 0, 0, new int[0], new int[0]));
        errno(Errno.EINVAL, () -> nova.submit(c[0], c[1], 2, n, new int[0], new int[0]));
        errno(Errno.EINVAL, () -> nova.submit(c[0], c[1], 4096 - 4, n, new int[0], new int[0]));
        errno(Errno.ENOENT, () -> nova.submit(99, c[1], 0, n, new int[0], new int[0]));
        errno(Errno.ENOENT, () -> nova.submit(c[0], 99, 0, n, new int[0], new int[0]));
        errno(Errno.ENOENT, () -> nova.submit(c[0], c[1], 0, n, new int[] {999}, new int[0]));
        errno(Errno.ENOENT, () -> nova.submit(c[0], c[1], 0, n, new int[0], new int[] {999}));
        errno(Errno.EINVAL, () -> nova.submit(c[0], c[1], 0, n, new int[] {s}, new int[0])); // no fence yet
        int vram = nova.createVram(4096).handle();
        errno(Errno.EINVAL, () -> nova.submit(c[0], vram, 0, n, new int[0], new int[0]));
        // a physical copy is refused by the checker
        NvPush phys = new NvPush().copy(0x100_0000, 0x200_0000, 16, 0x300_0000, 1);
        int[] w = phys.words();
        w[w.length - 1] |= 1 << 13;
        NovaClient.Bo pb2 = nova.createSysmem(4096);
        try (UserMapping m = nova.mmap(pb2)) {
            for (int i = 0; i < w.length; i++) {
                proc.memory().putInt(m.address() + 4L * i, w[i]);
            }
        }
        errno(Errno.EINVAL, () -> nova.submit(c[0], pb2.handle(), 0, w.length, new int[0], new int[0]));
        assertTrue(rig.core.channels.getFirst().pushbufferVas.isEmpty(), "nothing reached the channel");
    }

    @Test
    void shouldSignalTheFenceWithAnErrorAndFailLaterSubmitsOnAFaultedChannel() {
        NvPush push = copy();
        int[] c = channelWithPushbuffer(push);
        int s = nova.syncobjCreate();
        nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[] {s});
        DmaFence f = rig.registration().channels().getFirst().lastFence();
        rig.core.channels.getFirst().fault(0x200_0000);
        assertTrue(f.isSignaled());
        assertEquals(Errno.EIO.negative(), f.error());
        nova.syncobjWait(s, Long.MAX_VALUE);
        NovaClient.ChannelState st = nova.channelState(c[0]);
        assertTrue(st.faulted());
        assertEquals(0x200_0000, st.faultVa());
        assertEquals(1, st.error());
        errno(Errno.EIO, () -> nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[0]));
        nova.channelDestroy(c[0]);
    }

    @Test
    void shouldCancelPendingJobsWhenTheChannelIsDestroyed() {
        NvPush push = copy();
        int[] c = channelWithPushbuffer(push);
        nova.submit(c[0], c[1], 0, push.dwords(), new int[0], new int[0]);
        DmaFence f = rig.registration().channels().getFirst().lastFence();
        nova.channelDestroy(c[0]);
        assertTrue(f.isSignaled());
        assertEquals(Errno.ECANCELED.negative(), f.error());
        assertNotEquals(0, rig.core.channels.getFirst().completedSeqno());
    }
}
