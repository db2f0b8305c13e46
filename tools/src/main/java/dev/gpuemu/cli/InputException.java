package dev.gpuemu.cli;

/// Bad user input (an unknown image name, an unreadable file, an error in an image file or a
/// workload script): exit code 2 with the message on stderr.
///
/// A *located* message already starts with `file:line:col:` and is printed as it is, so editors
/// and CI annotators can jump to the spot; any other message gets the `gpuemu: ` prefix.
final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean located;

    InputException(String message) {
        this(message, false);
    }

    private InputException(String message, boolean located) {
        super(message);
        this.located = located;
    }

    /// An error at a position in a file; `message` starts with `file:line:col:`.
    static InputException located(String message) {
        return new InputException(message, true);
    }

    /// The line to print on stderr.
    String line() {
        return located ? getMessage() : "gpuemu: " + getMessage();
    }
}
