package dev.gpuemu.workload;

import java.util.List;
import java.util.Objects;

/// What a workload run found.
///
/// @param status            passed, or failed at the first failed check of any thread
/// @param assertionsPassed  explicit checks that held (`assert`, `expect ...`, `verify`, `irq expect`, `wait`)
/// @param assertionsFailed  checks that failed, explicit or implicit (a syscall that had to succeed)
/// @param messages          one `file:line: message` per failure, in the order they happened
/// @param output            the lines `print` wrote
/// @param logTail           the last kernel log lines (dmesg form) when the run failed, else empty
/// @param simTimeNs         simulated time when the workload ended
public record WorkloadResult(Status status, int assertionsPassed, int assertionsFailed, List<String> messages,
                             List<String> output, List<String> logTail, long simTimeNs) {
    public enum Status { PASSED, FAILED }

    public WorkloadResult {
        Objects.requireNonNull(status, "status");
        messages = List.copyOf(messages);
        output = List.copyOf(output);
        logTail = List.copyOf(logTail);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }
}
