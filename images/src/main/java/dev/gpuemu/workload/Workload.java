package dev.gpuemu.workload;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Syscalls;
import java.util.Objects;
import java.util.function.Consumer;

/// Runs workload scripts (docs/workloads.md) against a booted machine.
///
/// The workload is one root process, `workload`, spawned on the machine's kernel; its threads
/// (`thread NAME { ... }`) are Java threads of that one process, sharing its file descriptors and
/// mappings like pthreads. The process exits when the workload ends (closing what it left open).
///
/// Given the same machine image, seed and script, a single-threaded workload does the same
/// things at the same simulated times. Threads add real concurrency, so their interleaving is
/// not reproducible; their checks must not depend on it.
///
/// ## Thread safety
/// [#run] may be called from any thread that is not the machine's clock thread, once per
/// machine at a time.
public final class Workload {
    private Workload() {
    }

    /// Runs `script` on `machine` (booted, not closed) and returns what it found. Failed checks
    /// and guest or kernel errors are results, not exceptions.
    ///
    /// @param seed the workload seed (`fill`/`verify` without `seed=`); a `seed` command changes it
    /// @param out  receives the lines `print` writes, as they are written
    public static WorkloadResult run(Machine machine, Script script, long seed, Consumer<String> out) {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(out, "out");
        Syscalls proc = machine.kernel().spawn("workload", true);
        try {
            return new Interpreter(machine, proc, out).run(script, seed);
        } finally {
            proc.close();
        }
    }
}
