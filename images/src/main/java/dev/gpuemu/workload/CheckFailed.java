package dev.gpuemu.workload;

/// A failed check of a running workload (an `assert`, an `expect`, a syscall that should have
/// succeeded, a pattern mismatch): unwinds the thread that ran it. Internal to the interpreter.
final class CheckFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Pos pos;

    CheckFailed(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos;
    }

    Pos pos() {
        return pos;
    }
}
