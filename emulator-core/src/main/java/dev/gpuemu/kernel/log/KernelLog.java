package dev.gpuemu.kernel.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/// The kernel log: a dmesg-style ring buffer whose records carry simulated-time stamps.
///
/// Device messages get the `dev_info()` prefix from the caller (see
/// `dev.gpuemu.kernel.driver.Device#info`), so the text reads as in Linux:
/// `[    0.123456] edu 0000:00:04.0: ...`.
///
/// ## Invariants
/// Sequence numbers are dense and increase in append order; the buffer keeps the newest
/// `capacity` records.
///
/// ## Thread safety
/// Thread-safe. Listeners are called on the logging thread, in sequence order, while the log's
/// lock is held: they must be quick and must not log.
public final class KernelLog {
    private final LongSupplier clock;
    private final LogEntry[] ring;
    private final List<Consumer<LogEntry>> listeners = new CopyOnWriteArrayList<>();
    private long next;

    /// @param clock     simulated time source in ns
    /// @param capacity  how many records the ring keeps
    public KernelLog(LongSupplier clock, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ring = new LogEntry[capacity];
    }

    /// Appends a record and returns it.
    public LogEntry log(LogLevel level, String message) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
        synchronized (ring) {
            LogEntry e = new LogEntry(next, clock.getAsLong(), level, message);
            ring[(int) (next % ring.length)] = e;
            next++;
            for (Consumer<LogEntry> l : listeners) {
                l.accept(e);
            }
            return e;
        }
    }

    public void err(String message) {
        log(LogLevel.ERR, message);
    }

    public void warn(String message) {
        log(LogLevel.WARNING, message);
    }

    public void info(String message) {
        log(LogLevel.INFO, message);
    }

    public void debug(String message) {
        log(LogLevel.DEBUG, message);
    }

    /// Registers a listener that sees every record appended from now on.
    public void addListener(Consumer<LogEntry> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /// The newest `n` records still in the ring, oldest first.
    public List<LogEntry> tail(int n) {
        synchronized (ring) {
            long from = Math.max(Math.max(0, next - ring.length), next - n);
            return copy(from);
        }
    }

    /// Records with `seq >= fromSeq` still in the ring, oldest first.
    public List<LogEntry> since(long fromSeq) {
        synchronized (ring) {
            return copy(Math.max(Math.max(0, next - ring.length), fromSeq));
        }
    }

    /// Sequence number the next record will get.
    public long nextSeq() {
        synchronized (ring) {
            return next;
        }
    }

    private List<LogEntry> copy(long from) {
        List<LogEntry> out = new ArrayList<>((int) Math.max(0, next - from));
        for (long s = from; s < next; s++) {
            out.add(ring[(int) (s % ring.length)]);
        }
        return out;
    }
}
