package dev.gpuemu.hw.nvidia;

import dev.gpuemu.machine.irq.IrqLine;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.regs.nvidia.NvRegs;

/// The GA102's interrupt tree (gpuemu's layout; docs/devices/nvidia-ga102.md, "Interrupts"):
/// two leaves (stall, non-stall) of [NvRegs#INTR_CHANNELS] per-channel pending bits (W1C) with
/// per-bit enables, summarised in `NV_PMC_INTR_0` (STALL, NONSTALL: a pending and enabled leaf bit)
/// and gated by `NV_PMC_INTR_EN_0`. INTx is asserted while `INTR_0 & INTR_EN_0 != 0` and
/// COMMAND.INTX_DISABLE is clear (re-evaluated on every change of the tree).
///
/// ## Thread safety
/// Every method is called with the device lock held.
final class NvInterrupts implements NvInterruptPort {
    private final PciConfigSpace config;
    private IrqLine line;
    final int[] stall = new int[2];
    final int[] nonStall = new int[2];
    final int[] stallEn = new int[2];
    final int[] nonStallEn = new int[2];
    int topEnable;

    NvInterrupts(PciConfigSpace config) {
        this.config = config;
    }

    void connect(IrqLine l) {
        this.line = l;
        update();
    }

    void reset() {
        java.util.Arrays.fill(stall, 0);
        java.util.Arrays.fill(nonStall, 0);
        java.util.Arrays.fill(stallEn, 0);
        java.util.Arrays.fill(nonStallEn, 0);
        topEnable = 0;
        update();
    }

    private static int check(int channel) {
        if (channel < 0 || channel >= NvRegs.INTR_CHANNELS) {
            throw new IllegalArgumentException("interrupt for channel " + channel + " outside 0.."
                    + (NvRegs.INTR_CHANNELS - 1));
        }
        return channel;
    }

    @Override
    public void raiseNonStall(int channel) {
        nonStall[NvRegs.intrLeafWord(check(channel))] |= NvRegs.intrLeafBit(channel);
        update();
    }

    @Override
    public void raiseStall(int channel) {
        stall[NvRegs.intrLeafWord(check(channel))] |= NvRegs.intrLeafBit(channel);
        update();
    }

    /// `NV_PMC_INTR_0`.
    int intr0() {
        int v = 0;
        if ((stall[0] & stallEn[0]) != 0 || (stall[1] & stallEn[1]) != 0) {
            v |= (int) NvRegs.PMC_INTR_STALL.mask();
        }
        if ((nonStall[0] & nonStallEn[0]) != 0 || (nonStall[1] & nonStallEn[1]) != 0) {
            v |= (int) NvRegs.PMC_INTR_NONSTALL.mask();
        }
        return v;
    }

    /// Whether the tree asserts INTx.
    boolean asserted() {
        return (intr0() & topEnable) != 0 && !config.intxDisabled();
    }

    void update() {
        if (line != null) {
            line.set(asserted());
        }
    }
}
