package dev.gpuemu.hw.nvidia;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.nvidia.NvHal;
import dev.gpuemu.regs.nvidia.NvReg;
import dev.gpuemu.regs.nvidia.NvRegs;

/// The [NvReg] registers of the GA102 (PMC, PBUS, PTIMER, PFB, PGC6, PDISP, FUSE) and the GFW boot
/// sequence. Reads of registers the chipset's [NvHal] does not have, and every other unknown
/// offset, are the caller's (`Ga102`) business: [#has] tells.
///
/// ## GFW boot
/// At reset `GFW_BOOT` progress is 0 and `PRIV_LEVEL_MASK` bit 0 is clear; `gfwBootDelayNs` later
/// devinit "completes": FWSEC lowers the protection (bit 0 set) and progress reads 0xFF. Before
/// that a read of `GFW_BOOT` is a priv violation: it returns [NvRegs#PRI_PRIV_LEVEL_VIOLATION] and
/// counts a guest error.
///
/// ## Thread safety
/// Called with the device lock held; the GFW event takes it.
final class CoreRegs {
    private final String source;
    private final NvConfig cfg;
    private final NvHal hal;
    private final SimClock clock;
    private final GuestErrors errors;
    private final java.util.concurrent.locks.ReentrantLock lock;
    private final NvInterrupts intr;
    private final Runnable hostReset;
    final int[] scratch = new int[NvRegs.SW_SCRATCH_COUNT];
    private int pmcEnable;
    int flushLo;
    int flushHi;
    boolean gfwDone;
    private Timer gfwTimer;

    CoreRegs(String source, NvConfig cfg, SimClock clock, GuestErrors errors,
             java.util.concurrent.locks.ReentrantLock lock, NvInterrupts intr, Runnable hostReset) {
        this.source = source;
        this.cfg = cfg;
        this.hal = cfg.chipset().hal();
        this.clock = clock;
        this.errors = errors;
        this.lock = lock;
        this.intr = intr;
        this.hostReset = hostReset;
    }

    /// Every register to its reset value; GFW boot starts again.
    void reset() {
        cancel();
        java.util.Arrays.fill(scratch, 0);
        pmcEnable = (int) NvReg.NV_PMC_ENABLE.resetValue();
        flushLo = 0;
        flushHi = 0;
        gfwDone = false;
        intr.reset();
        gfwTimer = clock.schedule(cfg.gfwBootDelayNs(), this::gfwComplete);
    }

    void cancel() {
        if (gfwTimer != null) {
            gfwTimer.cancel();
            gfwTimer = null;
        }
    }

    private void gfwComplete() {
        lock.lock();
        try {
            gfwDone = true;
        } finally {
            lock.unlock();
        }
    }

    /// Whether this chipset answers `reg` (the HI flush register and the two fuse locations
    /// depend on the HAL).
    boolean has(NvReg reg) {
        return switch (reg) {
            case NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI -> hal.hasSysmemFlushHi();
            case NV_FUSE_STATUS_OPT_DISPLAY -> hal.fuseStatusOptDisplayOffset() == NvRegs.FUSE_STATUS_OPT_DISPLAY_GA100;
            case NV_FUSE_STATUS_OPT_DISPLAY_GM107 ->
                    hal.fuseStatusOptDisplayOffset() == NvRegs.FUSE_STATUS_OPT_DISPLAY_GM107;
            default -> true;
        };
    }

    boolean pfifoEnabled() {
        return NvRegs.PMC_ENABLE_PFIFO.isSet(pmcEnable);
    }

    int read(NvReg reg, int index) {
        return switch (reg) {
            case NV_PMC_INTR_0 -> intr.intr0();
            case NV_PMC_INTR_EN_0 -> intr.topEnable;
            case NV_PMC_ENABLE -> pmcEnable;
            case NV_PMC_INTR_STALL_LEAF -> intr.stall[index];
            case NV_PMC_INTR_NONSTALL_LEAF -> intr.nonStall[index];
            case NV_PMC_INTR_STALL_LEAF_EN -> intr.stallEn[index];
            case NV_PMC_INTR_NONSTALL_LEAF_EN -> intr.nonStallEn[index];
            case NV_PBUS_SW_SCRATCH -> scratch[index];
            case NV_PTIMER_TIME_0 -> (int) clock.nowNs();
            case NV_PTIMER_TIME_1 -> (int) (clock.nowNs() >>> 32);
            case NV_PFB_NISO_FLUSH_SYSMEM_ADDR -> flushLo;
            case NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI -> flushHi;
            case NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_PRIV_LEVEL_MASK ->
                    gfwDone ? (int) NvRegs.PRIV_LEVEL_MASK_READ_PROTECTION_LEVEL0.mask() : 0;
            case NV_PGC6_AON_SECURE_SCRATCH_GROUP_05_0_GFW_BOOT -> {
                if (!gfwDone) {
                    errors.report(Kind.DEVICE, source, "read of GFW_BOOT while priv-level protected");
                    yield NvRegs.PRI_PRIV_LEVEL_VIOLATION;
                }
                yield NvRegs.GFW_BOOT_PROGRESS_COMPLETED;
            }
            default -> (int) reg.resetValueFor(cfg.chipset(), cfg.revision(), cfg.vramBytes());
        };
    }

    void write(NvReg reg, int index, int v) {
        if (reg.access() == Access.RO) {
            errors.report(Kind.READ_ONLY_WRITE, source, "write to read-only register " + reg, reg.offset(index));
            return;
        }
        switch (reg) {
            case NV_PMC_INTR_EN_0 -> {
                intr.topEnable = v & (int) (NvRegs.PMC_INTR_STALL.mask() | NvRegs.PMC_INTR_NONSTALL.mask());
                intr.update();
            }
            case NV_PMC_ENABLE -> {
                boolean wasOn = pfifoEnabled();
                pmcEnable = v & (int) NvRegs.PMC_ENABLE_PFIFO.mask();
                if (wasOn && !pfifoEnabled()) {
                    hostReset.run();
                }
            }
            case NV_PMC_INTR_STALL_LEAF -> {
                intr.stall[index] &= ~v;
                intr.update();
            }
            case NV_PMC_INTR_NONSTALL_LEAF -> {
                intr.nonStall[index] &= ~v;
                intr.update();
            }
            case NV_PMC_INTR_STALL_LEAF_EN -> {
                intr.stallEn[index] = v;
                intr.update();
            }
            case NV_PMC_INTR_NONSTALL_LEAF_EN -> {
                intr.nonStallEn[index] = v;
                intr.update();
            }
            case NV_PBUS_SW_SCRATCH -> scratch[index] = v;
            case NV_PFB_NISO_FLUSH_SYSMEM_ADDR -> flushLo = v;
            case NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI -> flushHi = v & (int) NvRegs.FLUSH_SYSMEM_ADDR_HI.mask();
            default -> throw new IllegalStateException("RW register without a write path: " + reg);
        }
    }

    /// The sysmem flush page the registers hold (the HI half only counts where it exists).
    long sysmemFlushAddr() {
        return NvRegs.sysmemFlushAddr(flushLo, hal.hasSysmemFlushHi() ? flushHi : 0);
    }

    int pmcEnable() {
        return pmcEnable;
    }
}
