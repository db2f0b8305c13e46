package dev.gpuemu.kernel.drivers.tyr;

import static dev.gpuemu.kernel.drivers.tyr.TyrUser.errnoOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorVm;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.Vm;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `VM_CREATE`, `VM_DESTROY`, `VM_GET_STATE` and synchronous `VM_BIND` from a user process
/// against the real G610: the VA split, BO pages mapped where the device's MMU finds them with
/// their permissions, partial unmaps, a device fault making the VM unusable, and every bad
/// argument's errno.
class TyrVmTest {
    private static final long VA = 0x1_0000_0000L;
    private static final long HALF = 1L << 47;

    /// The MMU-level VM behind the file's only user VM.
    private static TyrVm kernelVm(TyrUser u) {
        return u.rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).findFirst().orElseThrow();
    }

    /// The device's translation of `va` for `access` (after binding the VM to an AS).
    private static long deviceTranslate(TyrUser u, TyrVm vm, long va, int access) throws Exception {
        int as = u.rig.reg().mmu().activate(vm);
        var lock = u.rig.gpu.region().deviceLock();
        lock.lock();
        try {
            return u.rig.gpu.mmu().translate(as, va, access, 0);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldSplitTheVaSpaceAsPanthorAndHandOutIdsFromOne() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            Vm a = u.client.vmCreate(0);
            assertEquals(1, a.id());
            assertEquals(HALF, a.userVaRange(), "half of the 48-bit space by default");
            Vm b = u.client.vmCreate(1L << 32);
            assertEquals(2, b.id());
            assertEquals(HALF, b.userVaRange(), "the kernel range is a power of two: the user range grows to it");
            Vm c = u.client.vmCreate((1L << 48) - (256L << 20));
            assertEquals((1L << 48) - (256L << 20), c.userVaRange(), "256 MiB left to the kernel");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmCreate((1L << 48) - (128L << 20))), "kernel range too small");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmCreate(-1L)));
            MemorySegment arg = u.arg(PanthorVm.Create.LAYOUT);
            PanthorVm.Create.FLAGS.set(arg, 1);
            u.expect(Errno.EINVAL, PanthorDrm.VM_CREATE, arg);
            u.client.vmDestroy(b.id());
            assertEquals(2, u.client.vmCreate(0).id(), "the lowest free id is reused");
        }
    }

    @Test
    void shouldRefuseTheThirtyThirdVmWithEbusy() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            for (int i = 0; i < TyrFile.MAX_VMS; i++) {
                u.client.vmCreate(0);
            }
            assertEquals(Errno.EBUSY, errnoOf(() -> u.client.vmCreate(0)));
        }
    }

    @Test
    void shouldDestroyOnceAndAnswerEinvalForUnknownIdsAndPad() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int id = u.client.vmCreate(0).id();
            MemorySegment arg = u.arg(PanthorVm.Destroy.LAYOUT);
            PanthorVm.Destroy.ID.set(arg, id);
            PanthorVm.Destroy.PAD.set(arg, 1);
            u.expect(Errno.EINVAL, PanthorDrm.VM_DESTROY, arg);
            u.client.vmDestroy(id);
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmDestroy(id)), "already destroyed");
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmDestroy(0)));
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmGetState(id)));
            assertEquals(0, u.rig.reg().mmu().vms().stream().filter(v -> !v.isMcu()).count(), "page tables freed");
        }
    }

    @Test
    void shouldMapBoPagesWhereTheDeviceFindsTheCpuWrittenBytes() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            Bo bo = u.client.boCreate(4 * 4096, 0, 0);
            try (UserMapping m = u.client.mmapBo(bo)) {
                m.putLong(2 * 4096 + 8, 0x0BAD_F00D_CAFE_BEEFL);
            }
            u.client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 4096, VA, 3 * 4096, 0)));
            TyrVm k = kernelVm(u);
            assertEquals(3, k.mappedPages());
            long pa = deviceTranslate(u, k, VA + 4096 + 8, MaliAsReg.ACCESS_READ);
            assertEquals(k.translate(VA + 4096 + 8), pa);
            MemorySegment page = u.rig.machine.kernel().hw().memory().direct(pa & ~0xFFFL, 4096);
            assertEquals(0x0BAD_F00D_CAFE_BEEFL, page.get(ValueLayout.JAVA_LONG_UNALIGNED, 8),
                    "VA+4K is BO page 2 (bo_offset 4K)");
            assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE, u.client.vmGetState(vm));
            assertEquals(GpuMemory.FAULT, deviceTranslate(u, k, VA + 3 * 4096, MaliAsReg.ACCESS_READ), "past the map");
            assertTrue(TyrRig.eventually(() -> u.client.vmGetState(vm) == PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE),
                    "a translation fault makes the VM unusable");
        }
    }

    @Test
    void shouldSplitAMappingOnPartialUnmapAndReplaceOnRemap() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            Bo a = u.client.boCreate(4 * 4096, 0, 0);
            Bo b = u.client.boCreate(4096, 0, 0);
            u.client.vmBind(vm, 0, List.of(BindOp.map(a.handle(), 0, VA, 4 * 4096, 0)));
            TyrVm k = kernelVm(u);
            long page3 = k.translate(VA + 3 * 4096);
            u.client.vmBind(vm, 0, List.of(BindOp.unmap(VA + 4096, 2 * 4096)));
            assertEquals(2, k.mappedPages());
            assertEquals(-1, k.translate(VA + 4096));
            assertEquals(page3, k.translate(VA + 3 * 4096), "the right piece keeps its page");
            u.client.vmBind(vm, 0, List.of(BindOp.map(b.handle(), 0, VA, 4096, 0)));
            assertEquals(2, k.mappedPages(), "the new mapping replaced the first page");
            u.client.drm().gemClose(a.handle());
            u.client.drm().gemClose(b.handle());
            assertEquals(page3, k.translate(VA + 3 * 4096), "mappings keep their BOs alive after GEM_CLOSE");
            u.client.vmBind(vm, 0, List.of(BindOp.unmap(0, HALF)));
            assertEquals(0, k.mappedPages());
        }
    }

    @Test
    void shouldEnforceReadOnlyAndMarkTheVmUnusableOnADeviceFault() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            Bo bo = u.client.boCreate(4096, 0, 0);
            u.client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, 4096,
                    PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY | PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC)));
            TyrVm k = kernelVm(u);
            assertTrue(deviceTranslate(u, k, VA, MaliAsReg.ACCESS_READ) >= 0);
            assertEquals(GpuMemory.FAULT, deviceTranslate(u, k, VA, MaliAsReg.ACCESS_WRITE));
            assertTrue(TyrRig.eventually(k::isUnusable), u.rig.log.toString());
            assertEquals(PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE, u.client.vmGetState(vm));
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmBind(vm, 0,
                    List.of(BindOp.map(bo.handle(), 0, VA + 4096, 4096, 0)))), "no new mappings in an unusable VM");
            u.client.vmBind(vm, 0, List.of(BindOp.unmap(VA, 4096)));
        }
    }

    @Test
    void shouldAnswerEinvalForEveryBadBindOpAndReportWhereItStopped() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            int other = u.client.vmCreate(0).id();
            int h = u.client.boCreate(2 * 4096, 0, 0).handle();
            int excl = u.client.boCreate(4096, 0, other).handle();
            int map = PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP;
            List<BindOp> bad = List.of(
                    BindOp.map(h, 0, VA + 0x800, 4096, 0),
                    BindOp.map(h, 0x800, VA, 4096, 0),
                    BindOp.map(h, 0, VA, 0x1800, 0),
                    BindOp.map(h, 4096, VA, 2 * 4096, 0),
                    BindOp.map(h, 0, HALF - 4096, 2 * 4096, 0),
                    BindOp.map(h, 0, HALF, 4096, 0),
                    BindOp.map(99, 0, VA, 4096, 0),
                    BindOp.map(excl, 0, VA, 4096, 0),
                    new BindOp(map | 1 << 3, h, 0, VA, 4096, List.of()),
                    new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, h, 0, VA, 4096, List.of()),
                    new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP | 1, 0, 0, VA, 4096, List.of()),
                    new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, VA, 4096, List.of()),
                    new BindOp(3 << 28, 0, 0, VA, 4096, List.of()),
                    new BindOp(map, h, 0, VA, 4096, List.of(SyncOp.signal(1))));
            for (BindOp op : bad) {
                assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmBind(vm, 0, List.of(op))), op.toString());
            }
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmBind(99, 0, List.of())), "unknown VM");
            assertEquals(0, kernelVm(u).mappedPages(), "nothing was mapped");
            // ops before the bad one ran; ops.count tells where it stopped
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmBind(vm, 0, List.of(BindOp.map(h, 0, VA, 4096, 0),
                    BindOp.map(h, 0, VA + 0x800, 4096, 0)))));
            assertEquals(1, kernelVm(u).mappedPages());
            // zero-size and SYNC_ONLY without syncs are no-ops
            u.client.vmBind(vm, 0, List.of(BindOp.map(h, 0, VA, 0, 0),
                    new BindOp(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY, 0, 0, 0, 0, List.of())));
            u.client.vmBind(other, 0, List.of(BindOp.map(excl, 0, VA, 4096, 0)));
        }
    }

    @Test
    void shouldCheckTheOpsArrayStrideFaultsAndAsyncFlag() throws Exception {
        try (TyrUser u = TyrUser.open()) {
            int vm = u.client.vmCreate(0).id();
            int h = u.client.boCreate(4096, 0, 0).handle();
            assertEquals(Errno.EOPNOTSUPP, errnoOf(() -> u.client.vmBind(vm, PanthorDrm.DRM_PANTHOR_VM_BIND_ASYNC,
                    List.of(BindOp.map(h, 0, VA, 4096, 0)))));
            assertEquals(Errno.EINVAL, errnoOf(() -> u.client.vmBind(vm, 2, List.of())));
            int op = (int) PanthorVm.BindOp.LAYOUT.byteSize();
            long arr = u.scratch;
            MemorySegment elem = MemorySegment.ofArray(new long[(op + 8) / 8]);
            PanthorVm.BindOp.FLAGS.set(elem, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP);
            PanthorVm.BindOp.BO_HANDLE.set(elem, h);
            PanthorVm.BindOp.VA.set(elem, VA);
            PanthorVm.BindOp.SIZE.set(elem, 4096L);
            u.proc.memory().write(arr, elem, 0, op + 8);
            MemorySegment bind = u.arg(PanthorVm.Bind.LAYOUT);
            PanthorVm.Bind.VM_ID.set(bind, vm);
            PanthorVm.Bind.OPS_COUNT.set(bind, 1);
            PanthorVm.Bind.OPS_ARRAY.set(bind, arr);
            PanthorVm.Bind.OPS_STRIDE.set(bind, op - 8);
            u.expect(Errno.EINVAL, PanthorDrm.VM_BIND, bind);
            PanthorVm.Bind.OPS_STRIDE.set(bind, op + 8);
            u.proc.memory().putByte(arr + op + 3, (byte) 1);
            u.expect(Errno.E2BIG, PanthorDrm.VM_BIND, bind);
            u.proc.memory().putByte(arr + op + 3, (byte) 0);
            PanthorVm.Bind.OPS_ARRAY.set(bind, 0x7000_0000_0000L);
            u.expect(Errno.EFAULT, PanthorDrm.VM_BIND, bind);
            // count * stride past 64 MiB, also where the u32 x u32 product overflows a long
            // (found by PanthorIoctlFuzzTest): kvmalloc fails, ENOMEM.
            PanthorVm.Bind.OPS_COUNT.set(bind, -1);
            PanthorVm.Bind.OPS_STRIDE.set(bind, -1);
            u.expect(Errno.ENOMEM, PanthorDrm.VM_BIND, bind);
            PanthorVm.Bind.OPS_COUNT.set(bind, 1 << 21);
            PanthorVm.Bind.OPS_STRIDE.set(bind, op);
            u.expect(Errno.ENOMEM, PanthorDrm.VM_BIND, bind);
            PanthorVm.Bind.OPS_COUNT.set(bind, 1);
            PanthorVm.Bind.OPS_STRIDE.set(bind, op + 8);
            assertEquals(0, kernelVm(u).mappedPages());
            PanthorVm.Bind.OPS_ARRAY.set(bind, arr);
            assertEquals(0, u.ioctl(PanthorDrm.VM_BIND, bind), "a newer userspace's longer op with a zero tail");
            assertEquals(1, kernelVm(u).mappedPages());
        }
    }

    @Test
    void shouldReleaseVmsMappingsAndBosWhenTheFileCloses() throws Exception {
        TyrUser u = TyrUser.open();
        int vm = u.client.vmCreate(0).id();
        Bo bo = u.client.boCreate(8 * 4096, 0, 0);
        u.client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, 8 * 4096, 0)));
        var mmu = u.rig.reg().mmu();
        u.client.close();
        assertEquals(0, mmu.vms().stream().filter(v -> !v.isMcu()).count(), "postclose destroyed the VM");
        u.proc.close();
        u.rig.close();
        assertTrue(u.rig.machine.report().clean(), u.rig.machine.report().toString());
    }

    @Test
    void shouldAnswerEnodevAfterUnbindAndStillReleaseEverythingAtClose() throws Exception {
        TyrUser u = TyrUser.open();
        int vm = u.client.vmCreate(0).id();
        Bo bo = u.client.boCreate(4 * 4096, 0, 0);
        u.client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, VA, 4 * 4096, 0)));
        assertEquals(0, u.rig.machine.kernel().sysfs().unbind("platform", "tyr", TyrDriverTest.DEV));
        assertEquals(Errno.ENODEV, errnoOf(() -> u.client.vmCreate(0)));
        assertEquals(Errno.ENODEV, errnoOf(() -> u.client.vmBind(vm, 0, List.of(BindOp.unmap(VA, 4096)))));
        assertEquals(Errno.ENODEV, errnoOf(() -> u.client.boCreate(4096, 0, 0)));
        u.close();
        assertTrue(u.rig.machine.report().clean(), u.rig.machine.report().toString());
    }
}
