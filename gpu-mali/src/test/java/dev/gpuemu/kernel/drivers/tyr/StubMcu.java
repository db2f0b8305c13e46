package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.hw.mali.CsfFrontend;
import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.hw.mali.MaliHwPorts;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.Function;

/// A stand-in command stream frontend plugged into the REAL [dev.gpuemu.hw.mali.MaliG610] until
/// mali-csf's MCU model is merged: on `MCU_CONTROL = AUTO` it publishes a GLB control block (and
/// [#GROUPS] CSG blocks with [#STREAMS] streams each) into the shared section, reaching it through
/// AS0 of the real `MaliMmu` (so the driver's MCU page tables are walked by the device), then
/// reports `ENABLED` and raises `GLOBAL_IF`. A doorbell 0 ring acknowledges every GLB request
/// (`ack = req`). A broken stub ([#factory] with `true`) halts the MCU instead.
///
/// ## Thread safety
/// Called under the device lock (as every [CsfFrontend]); its clock event takes that lock.
final class StubMcu implements CsfFrontend {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int GLB_IN = 0x800;
    static final int GLB_OUT = 0xC00;
    static final int GROUPS = 4;
    static final int STREAMS = 2;
    static final int GROUP_STRIDE = 0x100;
    /// 96 work registers, 8 scoreboards, compute.
    static final int CS_FEATURES = 95 | 8 << 8 | CsfIface.Cs.FEATURES_COMPUTE;

    private final MaliHwPorts ports;
    private final boolean broken;
    private int control = MaliRegs.MCU_CONTROL_DISABLE;
    private int status = MaliRegs.MCU_STATUS_DISABLED;
    int doorbells;

    private StubMcu(MaliHwPorts ports, boolean broken) {
        this.ports = ports;
        this.broken = broken;
    }

    /// The plug-in for `MaliG610`'s constructor.
    static Function<MaliHwPorts, CsfFrontend> factory(boolean broken) {
        return p -> new StubMcu(p, broken);
    }

    @Override
    public void writeMcuControl(int value) {
        control = value;
        if (value == MaliRegs.MCU_CONTROL_AUTO || value == MaliRegs.MCU_CONTROL_ENABLE) {
            if (broken) {
                status = MaliRegs.MCU_STATUS_HALT;
            } else {
                ports.clock().schedule(50_000, this::boot);
            }
        } else if (value == MaliRegs.MCU_CONTROL_DISABLE) {
            status = MaliRegs.MCU_STATUS_DISABLED;
        }
    }

    /// A native view of MCU VA `va` (one page at most), through AS0; null on a fault.
    private MemorySegment mcuPage(long va, int access) {
        long pa = ports.mmu().translate(0, va, access, 0);
        return pa == GpuMemory.FAULT ? null : ports.mmu().physical(pa, 0x1000 - (pa & 0xFFF));
    }

    private void boot() {
        ports.deviceLock().lock();
        try {
            if (control != MaliRegs.MCU_CONTROL_AUTO && control != MaliRegs.MCU_CONTROL_ENABLE) {
                return;
            }
            long base = CsfIface.SHARED_REGION_START;
            MemorySegment glb = mcuPage(base, MaliAsReg.ACCESS_WRITE);
            MemorySegment csgs = mcuPage(base + CsfIface.GROUP_CONTROL_OFFSET, MaliAsReg.ACCESS_WRITE);
            if (glb == null || csgs == null) {
                status = MaliRegs.MCU_STATUS_FATAL;
                return;
            }
            glb.set(LE_INT, CsfIface.Glb.VERSION, CsfIface.version(1, 1, 0));
            glb.set(LE_INT, CsfIface.Glb.FEATURES, 0x1);
            glb.set(LE_INT, CsfIface.Glb.INPUT_VA, (int) (base + GLB_IN));
            glb.set(LE_INT, CsfIface.Glb.OUTPUT_VA, (int) (base + GLB_OUT));
            glb.set(LE_INT, CsfIface.Glb.GROUP_NUM, GROUPS);
            glb.set(LE_INT, CsfIface.Glb.GROUP_STRIDE, GROUP_STRIDE);
            glb.set(LE_INT, CsfIface.Glb.INSTR_FEATURES, 0x30);
            for (int g = 0; g < GROUPS; g++) {
                long c = (long) g * GROUP_STRIDE;
                csgs.set(LE_INT, c + CsfIface.Csg.STREAM_NUM, STREAMS);
                csgs.set(LE_INT, c + CsfIface.Csg.STREAM_STRIDE, 0x40);
                for (int s = 0; s < STREAMS; s++) {
                    csgs.set(LE_INT, c + CsfIface.STREAM_CONTROL_OFFSET + 0x40L * s + CsfIface.Cs.FEATURES, CS_FEATURES);
                }
            }
            status = MaliRegs.MCU_STATUS_ENABLED;
            ports.jobIrq().raise(MaliRegs.JOB_IRQ_GLOBAL_IF);
        } finally {
            ports.deviceLock().unlock();
        }
    }

    @Override
    public int mcuControl() {
        return control;
    }

    @Override
    public int mcuStatus() {
        return status;
    }

    @Override
    public void ringDoorbell(int index) {
        doorbells++;
        if (index == 0 && status == MaliRegs.MCU_STATUS_ENABLED) {
            long base = CsfIface.SHARED_REGION_START;
            MemorySegment glb = mcuPage(base, MaliAsReg.ACCESS_WRITE);
            if (glb != null) {
                glb.set(LE_INT, GLB_OUT + CsfIface.GlbOut.ACK, glb.get(LE_INT, GLB_IN + CsfIface.GlbIn.REQ));
                ports.jobIrq().raise(MaliRegs.JOB_IRQ_GLOBAL_IF);
            }
        }
    }

    @Override
    public void reset() {
        control = MaliRegs.MCU_CONTROL_DISABLE;
        status = MaliRegs.MCU_STATUS_DISABLED;
    }
}
