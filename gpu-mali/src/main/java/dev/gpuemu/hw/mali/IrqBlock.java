package dev.gpuemu.hw.mali;

import dev.gpuemu.machine.irq.IrqLine;

/// One of the G610's three interrupt blocks (GPU, JOB, MMU): `RAWSTAT` latches events, `CLEAR`
/// is write-1-to-clear, `MASK` selects, `STATUS = RAWSTAT & MASK`, and the block's interrupt line
/// is high exactly while `STATUS != 0`.
///
/// ## Thread safety
/// Not thread-safe: used under the device lock.
public final class IrqBlock {
    private final String name;
    private IrqLine line;
    private int rawstat;
    private int mask;

    public IrqBlock(String name) {
        this.name = name;
    }

    /// Connects the output line (the board does this once).
    public void connect(IrqLine line) {
        this.line = line;
        update();
    }

    /// Latches `bits` into `RAWSTAT`.
    public void raise(int bits) {
        rawstat |= bits;
        update();
    }

    /// A write of `RAWSTAT`: sets the written bits (software-raised interrupts, for tests).
    public void writeRawstat(int value) {
        rawstat |= value;
        update();
    }

    /// A write of `CLEAR`: write-1-to-clear.
    public void clear(int bits) {
        rawstat &= ~bits;
        update();
    }

    public void writeMask(int value) {
        mask = value;
        update();
    }

    public int rawstat() {
        return rawstat;
    }

    public int mask() {
        return mask;
    }

    public int status() {
        return rawstat & mask;
    }

    /// Back to reset state (everything 0, line low).
    public void reset() {
        rawstat = 0;
        mask = 0;
        update();
    }

    /// Whether the line is asserted.
    public boolean asserted() {
        return status() != 0;
    }

    private void update() {
        if (line != null) {
            line.set(status() != 0);
        }
    }

    @Override
    public String toString() {
        return String.format("%s_IRQ raw=0x%08x mask=0x%08x", name, rawstat, mask);
    }
}
