package dev.gpuemu.regs.nvidia;

/// The blocks of BAR0 (16 MiB of registers) that gpuemu models, by base offset. Real GA102
/// offsets where the block exists on hardware; [#HOST_WINDOW_BASE] is this project's own
/// channel-control window (on real Ampere, channels are set up by GSP-RM through RPC, instance
/// blocks and USERD; gpuemu replaces that with registers, documented in
/// docs/devices/nvidia-ga102.md).
///
/// ## Invariants
/// Blocks do not overlap; every base is 4 KiB aligned; all lie inside [#BAR0_SIZE].
public final class NvBar0Map {
    /// BAR0 length: 16 MiB (nova-core maps exactly this).
    public static final int BAR0_SIZE = 16 << 20;

    /// `NV_PMC`: boot id, enables, top-level interrupt status.
    public static final int PMC_BASE = 0x000000;
    /// `NV_PBUS`: software scratch registers.
    public static final int PBUS_BASE = 0x001000;
    /// `NV_PTIMER`: the nanosecond timer.
    public static final int PTIMER_BASE = 0x009000;
    /// `NV_PFB`: frame buffer and MMU control (sysmem flush, local memory range, WPR2).
    public static final int PFB_BASE = 0x100000;
    /// The GSP falcon (`NV_PGSP`).
    public static final int GSP_FALCON_BASE = 0x110000;
    /// `NV_PGC6`: always-on secure scratch (GFW boot progress, usable FB size).
    public static final int PGC6_BASE = 0x118000;
    /// `NV_PDISP`: only the VGA workspace register.
    public static final int PDISP_BASE = 0x610000;
    /// `NV_USERMODE` (Volta+ `NV_VIRTUAL_FUNCTION_PRIV` usermode window): the doorbell
    /// `NV_USERMODE_NOTIFY_CHANNEL_PENDING`.
    public static final int USERMODE_BASE = 0x810000;
    /// Offset of `NOTIFY_CHANNEL_PENDING` inside the usermode window: a write of a channel's
    /// work-submit token rings its doorbell.
    public static final int USERMODE_NOTIFY_CHANNEL_PENDING = 0x90;
    /// `NV_FUSE` (GA100+ location).
    public static final int FUSE_BASE = 0x820000;
    /// The SEC2 falcon (`NV_PSEC`).
    public static final int SEC2_FALCON_BASE = 0x840000;
    /// gpuemu's channel-control window (project-defined, see the class comment).
    public static final int HOST_WINDOW_BASE = 0xFE0000;
    /// Length of the channel-control window.
    public static final int HOST_WINDOW_SIZE = 0x10000;

    private NvBar0Map() {
    }
}
