package dev.gpuemu.workload;

import java.util.Objects;

/// A script that cannot run: unknown command, unknown ioctl or field, bad number, unknown
/// variable, unbalanced braces, unreadable include. The message is `file:line:col: message`.
public final class ScriptException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Pos pos;
    private final String reason;

    public ScriptException(Pos pos, String reason) {
        super(Objects.requireNonNull(pos, "pos") + ": " + reason);
        this.pos = pos;
        this.reason = reason;
    }

    /// Where the error is.
    public Pos pos() {
        return pos;
    }

    /// The message without the position.
    public String reason() {
        return reason;
    }
}
