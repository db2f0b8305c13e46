package dev.gpuemu.regs.nvidia;

/// What differs between GPU generations in the registers gpuemu models (nova-core's per-chipset
/// HALs, kernel-semantics §6.3), as data both the device model and the driver use. A new
/// generation is a [Chipset] table entry plus one small implementation of this interface.
///
/// ## Thread safety
/// Implementations are stateless singletons.
public interface NvHal {
    /// A short name for logs, e.g. `tu102`.
    String name();

    /// Whether `NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI` exists (GA100+): the driver writes HI, then LO.
    /// Without it (Turing) only LO is written and the page must lie below [#sysmemFlushAddrLimit].
    boolean hasSysmemFlushHi();

    /// The first bus address a sysmem flush page can no longer have: 2^40 without the HI register
    /// (LO holds address bits 39:8), 2^64 (represented as 0, "no limit") with it.
    default long sysmemFlushAddrLimit() {
        return hasSysmemFlushHi() ? 0 : 1L << 40;
    }

    /// Whether `addr` can be registered as the sysmem flush page on this generation (256-byte
    /// aligned, and below the limit without the HI register).
    default boolean sysmemFlushAddrValid(long addr) {
        if ((addr & 0xFF) != 0) {
            return false;
        }
        return hasSysmemFlushHi() || Long.compareUnsigned(addr, sysmemFlushAddrLimit()) < 0;
    }

    /// BAR0 offset of `NV_FUSE_STATUS_OPT_DISPLAY`: 0x21C04 (gm107 layout) or 0x820C04 (ga100).
    int fuseStatusOptDisplayOffset();
}
