package dev.gpuemu.kernel.drivers.tyr;

import dev.gpuemu.machine.HwContext;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.List;

/// A register-level stand-in for the G610 for the two probe failures the real model cannot
/// produce: reset values, IRQ blocks, soft reset and L2 power-on, with knobs that break either.
/// Everything else is tested against the real `MaliG610` ([TyrG610Test]).
final class FakeG610 implements SysBusDevice, AutoCloseable {

    volatile boolean breakReset;
    volatile boolean breakL2;

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
