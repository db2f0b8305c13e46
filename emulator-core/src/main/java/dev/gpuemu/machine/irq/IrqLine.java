package dev.gpuemu.machine.irq;

/// One input line of an [InterruptController], held by a device model (vm-superio's `Trigger`).
/// The level is what the device drives; delivery policy is the controller's.
///
/// ## Thread safety
/// Any thread may raise or lower the line.
public final class IrqLine {
    private final InterruptController controller;
    private final int number;

    IrqLine(InterruptController controller, int number) {
        this.controller = controller;
        this.number = number;
    }

    /// Drives the line high (asserted).
    public void raise() {
        controller.setLevel(number, true);
    }

    /// Drives the line low (deasserted).
    public void lower() {
        controller.setLevel(number, false);
    }

    /// Drives the line to `high`.
    public void set(boolean high) {
        controller.setLevel(number, high);
    }

    /// The level currently driven.
    public boolean level() {
        return controller.level(number);
    }

    /// The controller input this line is wired to.
    public int number() {
        return number;
    }

    @Override
    public String toString() {
        return "IrqLine[" + number + (level() ? ", high]" : ", low]");
    }
}
