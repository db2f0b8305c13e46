package dev.gpuemu.cli;

/// Bad user input (an unknown image name, an unreadable file): exit code 2 with the message.
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InputException(String message) {
        super(message);
    }
}
