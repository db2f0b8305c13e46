package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliPte;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/// A register-level stand-in for the G610 used by the driver tests until the real model
/// (mali-hw, mali-csf) is merged: reset values, IRQ blocks, soft reset, L2 power-on, AS registers
/// (commands complete at once), and a toy MCU that walks AS0's page tables to publish a GLB
/// control block and raises `GLOBAL_IF`. Knobs let tests break reset, L2 or the MCU.
final class FakeG610 implements SysBusDevice, AutoCloseable {
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int GLB_IN = 0x800;
    static final int GLB_OUT = 0xC00;

    volatile boolean breakReset;
    volatile boolean breakL2;
    volatile boolean breakMcu;
    volatile int asCommands;

    private final HwContext hw;
    private final MmioRegion region;
    private final long[] regs = new long[0x3000 / 4];
    private List<IrqLine> lines = List.of();

    FakeG610(HwContext hw) {
        this.hw = hw;
        for (MaliReg r : MaliReg.values()) {
            put(r.offset(), r.resetValue());
        }
        region = MmioRegion.builder("mali", MaliRegs.MMIO_SIZE).registers(0, MaliRegs.MMIO_SIZE, AccessSpec.DWORD_ONLY,
                new RegisterHandler() {
                    @Override
                    public long read(long offset, AccessSize size) {
                        return FakeG610.this.read(offset);
                    }

                    @Override
                    public void write(long offset, AccessSize size, long value) {
                        FakeG610.this.write(offset, value);
                    }
                }).build();
    }

    private void put(long off, long v) {
        regs[(int) (off / 4)] = v & 0xFFFF_FFFFL;
        MaliReg r = MaliReg.atOrNull(off);
        if (r != null && r.width() == 8) {
            regs[(int) (off / 4) + 1] = v >>> 32;
        }
    }

    private long get(long off) {
        return regs[(int) (off / 4)];
    }

    private synchronized long read(long off) {
        if (off >= regs.length * 4L) {
            return 0;
        }
        if (off == MaliReg.GPU_IRQ_STATUS.offset() || off == MaliReg.JOB_IRQ_STATUS.offset()
                || off == MaliReg.MMU_IRQ_STATUS.offset()) {
            return get(off - 0xC) & get(off - 0x4);
        }
        return get(off);
    }

    private synchronized void write(long off, long v) {
        if (off >= regs.length * 4L) {
            return; // doorbells
        }
        for (long base : new long[] {0x20, 0x1000, 0x2000}) {
            if (off == base + 4) {
                put(base, get(base) & ~v);
                update();
                return;
            }
            if (off == base + 8) {
                put(base + 8, v);
                update();
                return;
            }
        }
        if (off == MaliReg.GPU_CMD.offset() && v == MaliRegs.GPU_CMD_SOFT_RESET && !breakReset) {
            hw.clock().schedule(20_000, () -> raise(0x20, MaliRegs.GPU_IRQ_RESET_COMPLETED));
        } else if (off == MaliReg.GPU_CMD.offset() && (v & 0xFF) == MaliRegs.GPU_CMD_TYPE_FLUSH_CACHES) {
            hw.clock().schedule(1_000, () -> raise(0x20, MaliRegs.GPU_IRQ_CLEAN_CACHES_COMPLETED));
        } else if (off == MaliReg.L2_PWRON.offset() && !breakL2) {
            put(MaliReg.L2_READY.offset(), get(MaliReg.L2_READY.offset()) | v);
        } else if (off == MaliReg.L2_PWROFF.offset()) {
            put(MaliReg.L2_READY.offset(), get(MaliReg.L2_READY.offset()) & ~v);
        } else if (off == MaliReg.MCU_CONTROL.offset()) {
            put(off, v);
            if (v == MaliRegs.MCU_CONTROL_AUTO && !breakMcu) {
                hw.clock().schedule(50_000, this::bootMcu);
            } else if (v == MaliRegs.MCU_CONTROL_DISABLE) {
                put(MaliReg.MCU_STATUS.offset(), MaliRegs.MCU_STATUS_DISABLED);
            }
        } else if (off >= MaliRegs.AS_BASE && off < MaliRegs.AS_BASE + 8 * MaliRegs.AS_STRIDE) {
            if ((off - MaliRegs.AS_BASE) % MaliRegs.AS_STRIDE == MaliAsReg.AS_COMMAND.offset()) {
                asCommands++;
            } else {
                regs[(int) (off / 4)] = v & 0xFFFF_FFFFL;
            }
        } else {
            regs[(int) (off / 4)] = v & 0xFFFF_FFFFL;
        }
    }

    synchronized void raise(long base, int bits) {
        put(base, get(base) | (bits & 0xFFFF_FFFFL));
        update();
    }

    private void update() {
        long[] bases = {0x1000, 0x2000, 0x20};
        for (int i = 0; i < lines.size() && i < 3; i++) {
            lines.get(i).set((get(bases[i]) & get(bases[i] + 8)) != 0);
        }
    }

    /// AS `as`'s translation of `va` by a walk of its page table, or -1.
    synchronized long translate(int as, long va) {
        long table = (get(MaliRegs.asOffset(as, MaliAsReg.AS_TRANSTAB)) | get(MaliRegs.asOffset(as, MaliAsReg.AS_TRANSTAB) + 4) << 32)
                & MaliPte.ADDR_MASK;
        for (int level = 0; level < 4; level++) {
            long desc = hw.memory().direct(table + 8L * MaliPte.index(va, level), 8).get(LE_LONG, 0);
            if ((desc & MaliPte.TYPE_MASK) != MaliPte.TYPE_TABLE_OR_PAGE) {
                return -1;
            }
            table = MaliPte.address(desc);
        }
        return table | (va & 0xFFF);
    }

    private synchronized void bootMcu() {
        long pa = translate(0, CsfIface.SHARED_REGION_START);
        if (pa < 0) {
            put(MaliReg.MCU_STATUS.offset(), MaliRegs.MCU_STATUS_FATAL);
            return;
        }
        MemorySegment glb = hw.memory().direct(pa, 0x1000);
        glb.set(LE_INT, CsfIface.Glb.VERSION, CsfIface.version(1, 1, 0));
        glb.set(LE_INT, CsfIface.Glb.FEATURES, 0x1);
        glb.set(LE_INT, CsfIface.Glb.INPUT_VA, (int) (CsfIface.SHARED_REGION_START + GLB_IN));
        glb.set(LE_INT, CsfIface.Glb.OUTPUT_VA, (int) (CsfIface.SHARED_REGION_START + GLB_OUT));
        glb.set(LE_INT, CsfIface.Glb.GROUP_NUM, 0);
        glb.set(LE_INT, CsfIface.Glb.GROUP_STRIDE, 0x100);
        glb.set(LE_INT, CsfIface.Glb.INSTR_FEATURES, 0x30);
        put(MaliReg.MCU_STATUS.offset(), MaliRegs.MCU_STATUS_ENABLED);
        raise(0x1000, MaliRegs.JOB_IRQ_GLOBAL_IF);
    }

    @Override
    public List<MmioRegion> regions() {
        return List.of(region);
    }

    @Override
    public void connectIrqs(List<IrqLine> lines) {
        this.lines = List.copyOf(lines);
    }

    @Override
    public void close() {
        region.close();
    }
}
