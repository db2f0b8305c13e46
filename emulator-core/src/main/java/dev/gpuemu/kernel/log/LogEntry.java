package dev.gpuemu.kernel.log;

/// One kernel log record.
///
/// @param seq      position in the log since boot, starting at 0
/// @param timeNs   simulated time of the record
/// @param level    severity
/// @param message  text without the timestamp prefix
public record LogEntry(long seq, long timeNs, LogLevel level, String message) {

    /// The dmesg form: `[    0.123456] message` (seconds right-aligned in five columns,
    /// microseconds in six).
    public String format() {
        long micros = timeNs / 1_000;
        return String.format("[%5d.%06d] %s", micros / 1_000_000, micros % 1_000_000, message);
    }
}
