package dev.gpuemu.regs.mali;

import dev.gpuemu.regs.Field;

/// Constants of the Mali-G610 shared by the device model and the tyr driver: identity, MMIO
/// layout, bit fields of [MaliReg] registers, interrupt bits, commands and MCU states
/// (kernel-semantics §5.1–5.5).
public final class MaliRegs {
    private MaliRegs() {
    }

    // ---- Identity (RK3588) ----------------------------------------------------------------
    /// `GPU_ID` of the RK3588's G610: arch 10.8 rev 6, product 7, version 0.0, status 5.
    public static final long G610_GPU_ID = 0xA867_0005L;
    /// Size of the MMIO region (Tyr maps 2 MiB).
    public static final long MMIO_SIZE = 2L << 20;
    /// Compatible strings the driver matches (most specific first).
    public static final String COMPATIBLE_RK3588 = "rockchip,rk3588-mali";
    public static final String COMPATIBLE_VALHALL_CSF = "arm,mali-valhall-csf";
    /// Interrupt names in device-tree order.
    public static final String IRQ_JOB = "job";
    public static final String IRQ_MMU = "mmu";
    public static final String IRQ_GPU = "gpu";
    /// GPU clock of the RK3588 Mali at its top OPP, in Hz.
    public static final long RK3588_GPU_HZ = 1_000_000_000L;
    /// Rate of the timestamp counter (the SoC's system counter), in Hz.
    public static final long TIMESTAMP_HZ = 24_000_000L;

    // ---- GPU_ID fields (§5.2) ----------------------------------------------------------------
    public static final Field ARCH_MAJOR = new Field("ARCH_MAJOR", 31, 28);
    public static final Field ARCH_MINOR = new Field("ARCH_MINOR", 27, 24);
    public static final Field ARCH_REV = new Field("ARCH_REV", 23, 20);
    public static final Field PRODUCT_MAJOR = new Field("PRODUCT_MAJOR", 19, 16);
    public static final Field VERSION_MAJOR = new Field("VERSION_MAJOR", 15, 12);
    public static final Field VERSION_MINOR = new Field("VERSION_MINOR", 11, 4);
    public static final Field VERSION_STATUS = new Field("VERSION_STATUS", 3, 0);

    // ---- MMU_FEATURES, L2_FEATURES ----------------------------------------------------------
    public static final Field MMU_VA_BITS = new Field("VA_BITS", 7, 0);
    public static final Field MMU_PA_BITS = new Field("PA_BITS", 15, 8);
    /// `L2_FEATURES[7:0]`: log2 of the cache line size.
    public static final Field L2_LINE_SIZE_LOG2 = new Field("LINE_SIZE", 7, 0);

    // ---- GPU_IRQ bits -----------------------------------------------------------------------
    public static final int GPU_IRQ_FAULT = 1;
    public static final int GPU_IRQ_PROTECTED_FAULT = 1 << 1;
    public static final int GPU_IRQ_RESET_COMPLETED = 1 << 8;
    public static final int GPU_IRQ_POWER_CHANGED_SINGLE = 1 << 9;
    public static final int GPU_IRQ_POWER_CHANGED_ALL = 1 << 10;
    public static final int GPU_IRQ_CLEAN_CACHES_COMPLETED = 1 << 17;
    public static final int GPU_IRQ_DOORBELL_MIRROR = 1 << 18;
    public static final int GPU_IRQ_MCU_STATUS_CHANGED = 1 << 19;
    /// Every GPU IRQ bit the model can raise.
    public static final int GPU_IRQ_ALL = GPU_IRQ_FAULT | GPU_IRQ_PROTECTED_FAULT | GPU_IRQ_RESET_COMPLETED
            | GPU_IRQ_POWER_CHANGED_SINGLE | GPU_IRQ_POWER_CHANGED_ALL | GPU_IRQ_CLEAN_CACHES_COMPLETED
            | GPU_IRQ_DOORBELL_MIRROR | GPU_IRQ_MCU_STATUS_CHANGED;

    // ---- GPU_CMD ------------------------------------------------------------------------------
    /// `GPU_CMD[7:0]`: command type; `[31:8]`: payload.
    public static final Field GPU_CMD_TYPE = new Field("TYPE", 7, 0);
    public static final Field GPU_CMD_PAYLOAD = new Field("PAYLOAD", 31, 8);
    public static final int GPU_CMD_NOP = 0x000;
    public static final int GPU_CMD_SOFT_RESET = 0x101;
    public static final int GPU_CMD_HARD_RESET = 0x201;
    /// Command type of a cache flush; payload = `l2 | lsc << 4 | other << 8`.
    public static final int GPU_CMD_TYPE_FLUSH_CACHES = 0x04;
    /// Cache flush modes (per cache) in the payload.
    public static final int CACHE_CLEAN = 1;
    public static final int CACHE_INV = 2;

    /// `GPU_CMD` flushing the L2, load/store and other caches with the given modes.
    public static int flushCaches(int l2, int lsc, int other) {
        return GPU_CMD_TYPE_FLUSH_CACHES | (l2 | lsc << 4 | other << 8) << 8;
    }

    // ---- GPU_STATUS ----------------------------------------------------------------------------
    public static final int GPU_STATUS_ACTIVE = 1;
    public static final int GPU_STATUS_PWR_ACTIVE = 1 << 1;
    public static final int GPU_STATUS_PAGE_FAULT = 1 << 4;
    public static final int GPU_STATUS_PROTM_ACTIVE = 1 << 7;
    public static final int GPU_STATUS_DBG_ENABLED = 1 << 8;

    /// Value unlocking `PWR_OVERRIDE0/1` when written to `GPU_PWR_KEY`.
    public static final int GPU_PWR_KEY_UNLOCK = 0x2968_A819;

    // ---- COHERENCY_PROTOCOL ----------------------------------------------------------------------
    public static final int COHERENCY_ACE_LITE = 0;
    public static final int COHERENCY_ACE = 1;
    public static final int COHERENCY_NONE = 31;

    // ---- MCU -------------------------------------------------------------------------------------
    public static final int MCU_CONTROL_DISABLE = 0;
    public static final int MCU_CONTROL_ENABLE = 1;
    public static final int MCU_CONTROL_AUTO = 2;
    public static final int MCU_STATUS_DISABLED = 0;
    public static final int MCU_STATUS_ENABLED = 1;
    public static final int MCU_STATUS_HALT = 2;
    public static final int MCU_STATUS_FATAL = 3;

    // ---- JOB IRQ -----------------------------------------------------------------------------------
    /// `JOB_IRQ` bit of the global interface; bit `n` (< 31) is command stream group slot `n`.
    public static final int JOB_IRQ_GLOBAL_IF = 1 << 31;

    /// `JOB_IRQ` bit of CSG slot `n`.
    public static int jobIrqCsg(int n) {
        return 1 << n;
    }

    // ---- MMU IRQ -----------------------------------------------------------------------------------
    /// `MMU_IRQ` page-fault bit of address space `as` (bits 0..15).
    public static int mmuIrqPageFault(int as) {
        return 1 << as;
    }

    /// `MMU_IRQ` bus-fault bit of address space `as` (bits 16..31).
    public static int mmuIrqBusFault(int as) {
        return 1 << (16 + as);
    }

    // ---- Address spaces ------------------------------------------------------------------------------
    /// Offset of address space 0's registers; AS `n` is at `AS_BASE + n * AS_STRIDE` ([MaliAsReg]).
    public static final long AS_BASE = 0x2400;
    public static final long AS_STRIDE = 0x40;
    /// Address spaces the G610 has (`AS_PRESENT` = 0xff).
    public static final int AS_COUNT = 8;

    /// `AS_LOCKADDR[5:0]`: log2 of the locked region size minus one (at least 32 KiB); bits
    /// [63:12] give the base.
    public static final Field AS_LOCKADDR_SIZE = new Field("LOCKADDR_SIZE", 5, 0);
    public static final Field AS_TRANSCFG_ADRMODE = new Field("ADRMODE", 3, 0);
    public static final Field AS_TRANSCFG_INA_BITS = new Field("INA_BITS", 10, 6);
    public static final Field AS_TRANSCFG_OUTA_BITS = new Field("OUTA_BITS", 18, 14);
    public static final Field AS_FAULT_EXCEPTION_TYPE = new Field("EXCEPTION_TYPE", 7, 0);
    public static final Field AS_FAULT_ACCESS_TYPE = new Field("ACCESS_TYPE", 9, 8);
    public static final Field AS_FAULT_SOURCE_ID = new Field("SOURCE_ID", 31, 16);

    /// MMIO offset of register `reg` of address space `as`.
    public static long asOffset(int as, MaliAsReg reg) {
        return AS_BASE + as * AS_STRIDE + reg.offset();
    }

    // ---- CSF user pages and doorbells -----------------------------------------------------------------
    /// `CSF_LATEST_FLUSH_ID`: the page userspace maps at `DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET`.
    public static final long CSF_LATEST_FLUSH_ID = 0x10000;
    /// Doorbell page `i` is at `CSF_DOORBELL_BASE + i * CSF_DOORBELL_STRIDE`; doorbell 0 is the
    /// global interface's. Writing any value to the first word rings it.
    public static final long CSF_DOORBELL_BASE = 0x80000;
    public static final long CSF_DOORBELL_STRIDE = 0x10000;
    /// Doorbell pages in the 2 MiB region (0x80000..0x1FFFFF).
    public static final int CSF_DOORBELL_COUNT = 24;

    /// MMIO offset of doorbell `i`.
    public static long doorbell(int i) {
        return CSF_DOORBELL_BASE + i * CSF_DOORBELL_STRIDE;
    }
}
