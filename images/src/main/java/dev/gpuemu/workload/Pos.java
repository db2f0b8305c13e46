package dev.gpuemu.workload;

import java.util.Objects;

/// A position in a workload script: file name, 1-based line and 1-based column.
///
/// @param file the file name as the user gave it (or a pseudo name such as `docs/workloads.md`)
/// @param line 1-based line
/// @param col  1-based column of the first character of the token
public record Pos(String file, int line, int col) {
    public Pos {
        Objects.requireNonNull(file, "file");
    }

    /// `file:line`, the form failures of a running workload carry.
    public String where() {
        return file + ":" + line;
    }

    /// `file:line:col`, the form script errors carry.
    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
