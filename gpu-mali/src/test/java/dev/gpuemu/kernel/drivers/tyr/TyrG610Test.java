package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.hw.mali.NoMcuFrontend;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/// Tyr against the REAL G610 model (mali-hw's `MaliG610`: GPU control, IRQ blocks, `MaliMmu`);
/// the MCU is [StubMcu] until mali-csf's model lands. Probe in order with the correctly decoded
/// lines, the MCU's firmware sections reached through AS0 by the device's own page-table walk,
/// user VM mappings walked by `MaliMmu` with their permissions, a device-detected fault handled
/// as panthor does, unbind, and the MCU boot failure on a G610 without a CSF.
class TyrG610Test {
    private static final String P = TyrDriverTest.P;

    @Test
    void shouldProbeTheRealG610InTyrOrderWithTheCorrectLines() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            assertTrue(r.has(P + "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5"), r.log.toString());
            assertTrue(r.has(P + "Features: L2:0x7120306 Tiler:0x809 Mem:0x301 MMU:0x2830 AS:0xff"), r.log.toString());
            assertTrue(r.has(P + "shader_present=0x0000000000050005 l2_present=0x0000000000000001 "
                    + "tiler_present=0x0000000000000001"), r.log.toString());
            assertTrue(r.has(P + "CSF FW using interface v1.1.0, Features 0x1 Instrumentation features 0x30"),
                    r.log.toString());
            int idx = -1;
            for (String s : List.of("mali-g610 id", "CSF FW using", "Initialized panthor 1.5.0", "Tyr initialized")) {
                int at = r.indexOf(s);
                assertTrue(at > idx, s + " out of order: " + r.log);
                idx = at;
            }
            assertEquals(3, r.clocksOn());
            assertEquals(MaliRegs.MCU_STATUS_ENABLED, r.gpu.state().mcuStatus());
            assertTrue(r.gpu.state().l2Ready() != 0, "L2 powered by the probe");
            assertEquals(4, r.reg().fw().glb().groupNum(), "GLB block read back through the MCU's VM");
            assertEquals(0, r.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldLetTheDeviceWalkTheMcuPageTablesInAs0() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            TyrVm mcu = r.reg().fw().vm();
            assertEquals(0, mcu.as());
            long va = CsfIface.SHARED_REGION_START + 0x10;
            long pa = translate(r, 0, va, MaliAsReg.ACCESS_READ);
            assertEquals(mcu.translate(va), pa, "the driver's tables and MaliMmu's walk agree");
            assertEquals(0, r.machine.guestErrors().total(), "no guest error from the driver's programming");
        }
    }

    private static long translate(TyrRig r, int as, long va, int access) {
        var lock = r.gpu.region().deviceLock();
        lock.lock();
        try {
            return r.gpu.mmu().translate(as, va, access, 0);
        } finally {
            lock.unlock();
        }
    }

    @Test
    void shouldMapUserPagesTheRealMmuWalksWithTheirPermissions() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            var mmu = r.reg().mmu();
            TyrVm vm = mmu.createVm("user", false, 0x1000_0000L, 0x2000_0000L);
            int as = mmu.activate(vm);
            assertTrue(as >= 1 && as < 8, "user VMs never take AS0: " + as);
            vm.map(0x1000_0000L, new long[] {0x0020_0000L, 0x0030_0000L}, 0);
            vm.map(0x1100_0000L, new long[] {0x0040_0000L}, TyrVm.MAP_READONLY | TyrVm.MAP_NOEXEC);
            assertEquals(0x0030_0010L, translate(r, as, 0x1000_1010L, MaliAsReg.ACCESS_WRITE));
            assertEquals(0x0020_0000L, translate(r, as, 0x1000_0000L, MaliAsReg.ACCESS_EXECUTE));
            assertEquals(0x0040_0020L, translate(r, as, 0x1100_0020L, MaliAsReg.ACCESS_READ));
            assertEquals(2, vm.unmap(0x1000_0000L, 0x2000));
            assertEquals(GpuMemory.FAULT, translate(r, as, 0x1000_1010L, MaliAsReg.ACCESS_READ), "unmapped");
            vm.destroy();
            assertThrows(IllegalStateException.class, vm::destroy);
        }
    }

    @Test
    void shouldNeverTakeTheAddressSpaceOfAnActiveVmAndAnswerEbusyWhenAllAreActive() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            var mmu = r.reg().mmu();
            List<TyrVm> vms = new ArrayList<>();
            Set<Integer> spaces = new HashSet<>();
            for (int i = 0; i < 7; i++) {
                TyrVm vm = mmu.createVm("user" + i, false, 0x1000_0000L, 0x2000_0000L);
                vms.add(vm);
                spaces.add(mmu.activate(vm));
            }
            assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7), spaces, "one address space each, AS0 stays the MCU's");
            TyrVm late = mmu.createVm("late", false, 0x1000_0000L, 0x2000_0000L);
            KernelException busy = assertThrows(KernelException.class, () -> mmu.activate(late));
            assertEquals(Errno.EBUSY, busy.errno(), "every address space runs a VM");
            assertTrue(vms.stream().allMatch(v -> v.as() > 0), "no active VM lost its address space");
            int freed = vms.get(3).as();
            mmu.idle(vms.get(3));
            assertEquals(freed, mmu.activate(late), "the only idle VM's address space is reused");
            assertEquals(-1, vms.get(3).as(), "the idle VM lost it");
            assertThrows(IllegalStateException.class, () -> mmu.idle(vms.get(3)), "idle without activate");
            assertEquals(0, r.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldHandleADeviceWriteFaultOnAReadOnlyPageAsPanthorDoes() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            var mmu = r.reg().mmu();
            TyrVm vm = mmu.createVm("user", false, 0x1000_0000L, 0x2000_0000L);
            int as = mmu.activate(vm);
            vm.map(0x1100_0000L, new long[] {0x0040_0000L}, TyrVm.MAP_READONLY);
            assertEquals(GpuMemory.FAULT, translate(r, as, 0x1100_0040L, MaliAsReg.ACCESS_WRITE));
            assertTrue(TyrRig.eventually(() -> mmu.faults() == 1 && vm.isUnusable()), r.log.toString());
            assertTrue(r.has(P + String.format("Unhandled Page fault in AS%d at VA 0x%016X", as, 0x1100_0040L)),
                    r.log.toString());
            assertTrue(r.has(P + "access type 0x3: WRITE"), r.log.toString());
            assertThrows(KernelException.class, () -> mmu.activate(vm), "an unusable VM is never activated again");
            assertEquals(0, r.gpu.state().mmuIrqRawstat() & MaliRegs.mmuIrqPageFault(as), "fault cleared");
            assertEquals(0, r.machine.kernel().oopses().count());
        }
    }

    @Test
    void shouldStopTheMcuDisableClocksAndUnplugAtUnbindOnTheRealDevice() throws KernelException {
        TyrRig r = TyrRig.boot();
        TyrRegistration reg = r.reg();
        assertEquals(0, r.machine.kernel().sysfs().unbind("platform", "tyr", TyrDriverTest.DEV));
        assertTrue(reg.isClosed());
        assertTrue(r.data.get().drm().device().isUnplugged());
        assertEquals(MaliRegs.MCU_STATUS_DISABLED, r.gpu.state().mcuStatus());
        assertEquals(0, r.clocksOn());
        assertTrue(reg.fw().vm().isDestroyed());
        r.close();
        assertEquals(0, r.machine.kernel().oopses().count());
        assertTrue(r.machine.report().clean(), r.machine.report().toString());
    }

    @Test
    void shouldFailWithEtimedoutOnAG610WithoutCsfAndLeaveNothingOn() throws KernelException {
        try (TyrRig r = TyrRig.boot(NoMcuFrontend::new, TyrDriverTest.firmware())) {
            assertTrue(r.has(P + "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5"), r.log.toString());
            assertTrue(r.has(P + "Failed to boot MCU (status=halt)"), r.log.toString());
            assertTrue(r.has("tyr: probe of " + TyrDriverTest.DEV + " failed with error -110"), r.log.toString());
            assertEquals(0, r.clocksOn());
            assertEquals(MaliRegs.MCU_STATUS_DISABLED, r.gpu.state().mcuStatus(), "the failed probe stopped the MCU");
            assertFalse(r.has("Initialized panthor"));
        }
    }

    @Test
    void shouldFailEtimedoutWhenTheMcuHaltsAndEinvalOnCorruptFirmware() throws KernelException {
        try (TyrRig r = TyrRig.boot(StubMcu.factory(true), TyrDriverTest.firmware())) {
            assertTrue(r.has("tyr: probe of " + TyrDriverTest.DEV + " failed with error -110"), r.log.toString());
        }
        byte[] bad = TyrDriverTest.firmware();
        bad[0] ^= 1;
        try (TyrRig r = TyrRig.boot(StubMcu.factory(false), bad)) {
            assertTrue(r.has(P + "Invalid firmware magic"), r.log.toString());
            assertTrue(r.has("tyr: probe of " + TyrDriverTest.DEV + " failed with error -22"), r.log.toString());
            assertEquals(0, r.clocksOn());
        }
        try (TyrRig r = TyrRig.boot(StubMcu.factory(false), null)) {
            assertTrue(r.has("tyr: probe of " + TyrDriverTest.DEV + " failed with error -2"), r.log.toString());
            assertEquals(0, r.clocksOn());
        }
    }

    @Test
    void shouldReadTheTimestampAndGpuIdFromTheRealRegisters() throws KernelException {
        try (TyrRig r = TyrRig.boot()) {
            GpuInfo info = r.reg().gpuInfo();
            assertEquals((int) MaliReg.GPU_ID.resetValue(), info.gpuId());
            assertEquals(0x50005L, info.shaderPresent());
        }
    }
}
