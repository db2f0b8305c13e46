package dev.gpuemu.hw.mali;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.regs.mali.MaliRegs;

/// The frontend of a G610 without a command stream frontend model: the MCU has no firmware to
/// run. `MCU_CONTROL` reads back what was written; enabling the MCU (ENABLE or AUTO) makes
/// `MCU_STATUS` read `HALT` (the core halts at once, nothing boots), disabling it `DISABLED`.
/// Doorbells are counted as guest errors (nobody listens).
///
/// ## Thread safety
/// Used under the device lock, like every [CsfFrontend].
public final class NoMcuFrontend implements CsfFrontend {
    private final MaliHwPorts ports;
    private int control = MaliRegs.MCU_CONTROL_DISABLE;
    private int status = MaliRegs.MCU_STATUS_DISABLED;

    public NoMcuFrontend(MaliHwPorts ports) {
        this.ports = ports;
    }

    @Override
    public void writeMcuControl(int value) {
        switch (value) {
            case MaliRegs.MCU_CONTROL_DISABLE -> status = MaliRegs.MCU_STATUS_DISABLED;
            case MaliRegs.MCU_CONTROL_ENABLE, MaliRegs.MCU_CONTROL_AUTO -> status = MaliRegs.MCU_STATUS_HALT;
            default -> {
                ports.errors().report(GuestErrors.Kind.DEVICE, ports.name(), "MCU_CONTROL value not defined", value);
                return;
            }
        }
        control = value;
    }

    @Override
    public int mcuControl() {
        return control;
    }

    @Override
    public int mcuStatus() {
        return status;
    }

    @Override
    public void ringDoorbell(int index) {
        ports.errors().report(GuestErrors.Kind.DEVICE, ports.name(), "doorbell rung with no MCU", index);
    }

    @Override
    public void reset() {
        control = MaliRegs.MCU_CONTROL_DISABLE;
        status = MaliRegs.MCU_STATUS_DISABLED;
    }
}
