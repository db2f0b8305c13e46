package dev.gpuemu.workload;

import java.util.List;
import java.util.Objects;

/// A parsed workload script, ready to run with [Workload#run]. Includes are already spliced in.
///
/// ## Thread safety
/// Immutable; one script may run on several machines at once.
public final class Script {
    private final String file;
    private final List<Stmt> body;

    Script(String file, List<Stmt> body) {
        this.file = Objects.requireNonNull(file, "file");
        this.body = List.copyOf(body);
    }

    /// The file name errors and failures refer to.
    public String file() {
        return file;
    }

    /// Number of top-level statements (after include splicing).
    public int statements() {
        return body.size();
    }

    List<Stmt> body() {
        return body;
    }
}
