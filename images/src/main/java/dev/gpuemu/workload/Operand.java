package dev.gpuemu.workload;

/// A value in a script: a number literal, a variable, or `$var+N` / `$var-N` / `$a+$b`. Every
/// value is a 64-bit integer.
sealed interface Operand {
    Pos pos();

    /// A literal number (durations are already converted to ns).
    record Lit(long value, Pos pos) implements Operand {
    }

    /// `$name`.
    record Var(String name, Pos pos) implements Operand {
    }

    /// `$name+term` or `$name-term`.
    record Sum(Var base, boolean minus, Operand term, Pos pos) implements Operand {
    }
}
