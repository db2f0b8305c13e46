package dev.gpuemu.regs.nvidia;

/// Ada (AD10x): for everything gpuemu models it behaves like Ampere GA10x ([Ga102Hal]); a class of
/// its own so that Ada-only differences have a place to go.
public final class Ad102Hal implements NvHal {
    /// The singleton.
    public static final Ad102Hal INSTANCE = new Ad102Hal();

    private Ad102Hal() {
    }

    @Override
    public String name() {
        return "ad102";
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
