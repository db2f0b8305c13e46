package dev.gpuemu.regs.nvidia;

/// Ampere GA10x (nova-core's ga100 HALs for the frame buffer and fuses): the sysmem flush address
/// is split over HI (bits 63:40) and LO (bits 39:8), written HI first; fuses at the ga100 location.
public final class Ga102Hal implements NvHal {
    /// The singleton.
    public static final Ga102Hal INSTANCE = new Ga102Hal();

    private Ga102Hal() {
    }

    @Override
    public String name() {
        return "ga102";
    }

    @Override
    public boolean hasSysmemFlushHi() {
        return true;
    }

    @Override
    public int fuseStatusOptDisplayOffset() {
        return NvRegs.FUSE_STATUS_OPT_DISPLAY_GA100;
    }
}
