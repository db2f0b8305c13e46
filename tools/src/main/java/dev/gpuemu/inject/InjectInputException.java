package dev.gpuemu.inject;

/// The injection cannot run as asked (unknown device, a mode the device does not support): bad
/// user input, exit code 2 on the command line.
public final class InjectInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectInputException(String message) {
        super(message);
    }
}
