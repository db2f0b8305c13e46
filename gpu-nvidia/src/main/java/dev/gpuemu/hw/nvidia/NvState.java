package dev.gpuemu.hw.nvidia;

import dev.gpuemu.hw.nvidia.falcon.FalconState;

/// A snapshot of the GA102's externally visible state, for tests and diagnostics.
///
/// @param pmcIntr0        `NV_PMC_INTR_0`
/// @param pmcIntrEn0      `NV_PMC_INTR_EN_0`
/// @param pmcEnable       `NV_PMC_ENABLE`
/// @param stallPending    stall leaf, channels 0..63 as bits
/// @param stallEnable     stall leaf enables
/// @param nonStallPending non-stall leaf
/// @param nonStallEnable  non-stall leaf enables
/// @param intxAsserted    the level the tree drives on INTx
/// @param gfwBootDone     GFW boot completed (priv protection lowered)
/// @param sysmemFlushAddr the sysmem flush page the PFB registers hold
/// @param gsp             the GSP falcon
/// @param sec2            the SEC2 falcon
///
/// ## Thread safety
/// Immutable; taken under the device lock by [Ga102#state()].
public record NvState(int pmcIntr0, int pmcIntrEn0, int pmcEnable, long stallPending, long stallEnable,
                      long nonStallPending, long nonStallEnable, boolean intxAsserted, boolean gfwBootDone,
                      long sysmemFlushAddr, FalconState gsp, FalconState sec2) {
}
