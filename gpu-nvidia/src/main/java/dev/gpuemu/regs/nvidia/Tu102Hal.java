package dev.gpuemu.regs.nvidia;

/// Turing (TU10x, TU11x): no `NV_PFB_NISO_FLUSH_SYSMEM_ADDR_HI` (sysmem flush page below 2^40,
/// only LO is written), fuses at the gm107 location.
public final class Tu102Hal implements NvHal {
    /// The singleton.
    public static final Tu102Hal INSTANCE = new Tu102Hal();

    private Tu102Hal() {
    }

    @Override
    public String name() {
        return "tu102";
    }

    @Override
    public boolean hasSysmemFlushHi() {
        return false;
    }

    @Override
    public int fuseStatusOptDisplayOffset() {
        return NvRegs.FUSE_STATUS_OPT_DISPLAY_GM107;
    }
}
