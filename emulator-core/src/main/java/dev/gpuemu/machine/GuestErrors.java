package dev.gpuemu.machine;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/// Counter of guest mistakes, by kind (QEMU's `LOG_GUEST_ERROR`, Firecracker's error metrics).
///
/// A guest error is *data*: the substrate that detects one (bus, DMA port, PCI config space, a device
/// model) reports it here and answers the guest as hardware would (open bus, write dropped, DMA
/// refused). It is never thrown. A broken *emulator* invariant is a different thing and throws.
///
/// Each report increments a per-kind counter. When a line sink is installed, report lines are also
/// emitted, rate-limited per kind: the first [#LOG_BURST] reports of a kind produce a line each, after
/// that only every [#LOG_EVERY]th report does, and it says how many lines were suppressed since the
/// previous one. Counting never stops; only the log is limited.
///
/// ## Invariants
/// - `total() == sum over kinds of count(kind)` once concurrent reports have returned.
///
/// ## Thread safety
/// All methods may be called from any thread. Counters are [LongAdder]s; the sink is a volatile
/// reference and is called on the reporting thread, so it must itself be thread-safe.
///
/// ## Lifecycle
/// Lives as long as the machine; nothing to close.
public final class GuestErrors {

    /// The closed set of guest mistakes the substrate recognises.
    public enum Kind {
        /// Access to a physical address (or a hole inside a region) that nothing decodes.
        UNASSIGNED_ACCESS,
        /// Access size outside the block's `valid` range, or an access straddling two blocks.
        INVALID_ACCESS_SIZE,
        /// Misaligned access to a block that does not accept unaligned accesses.
        UNALIGNED_ACCESS,
        /// Write to read-only memory (the write is dropped).
        READ_ONLY_WRITE,
        /// DMA to or from a bus address outside system memory.
        DMA_OUT_OF_RANGE,
        /// DMA to or from a bus address above the device's DMA mask.
        DMA_MASK_VIOLATION,
        /// DMA by a PCI function whose COMMAND.BUS_MASTER bit is clear.
        DMA_WITHOUT_BUS_MASTER,
        /// Malformed PCI configuration access or BAR programming the host cannot decode.
        PCI_CONFIG,
        /// Device-specific misuse reported by a device model.
        DEVICE
    }

    /// Number of reports per kind that are always logged.
    public static final int LOG_BURST = 10;
    /// After the burst, one report in this many is logged.
    public static final int LOG_EVERY = 1000;

    private static final Kind[] KINDS = Kind.values();

    private final LongAdder[] counts = new LongAdder[KINDS.length];
    // Sequence numbers for the rate limiter; separate from counts so the limiter is exact per kind.
    private final AtomicLong[] logSeq = new AtomicLong[KINDS.length];
    private volatile Consumer<String> sink;

    /// Creates a counter with all kinds at zero and no sink.
    public GuestErrors() {
        for (int i = 0; i < KINDS.length; i++) {
            counts[i] = new LongAdder();
            logSeq[i] = new AtomicLong();
        }
    }

    /// Installs (or, with `null`, removes) the line sink. Lines look like
    /// `guest error UNASSIGNED_ACCESS [mmio-bus]: read DWORD at 0x10000000`.
    public void setSink(Consumer<String> sink) {
        this.sink = sink;
    }

    /// Records one guest mistake.
    ///
    /// @param kind what went wrong
    /// @param source who noticed (region name, `dma:edu`, `pci 0000:00:04.0`)
    /// @param message what the guest did; keep it constant on hot paths (see the overload with an address)
    public void report(Kind kind, String source, String message) {
        Objects.requireNonNull(kind, "kind");
        counts[kind.ordinal()].increment();
        Consumer<String> s = sink;
        if (s != null) {
            emit(s, kind, source, message, false, 0);
        }
    }

    /// Records one guest mistake at an address. The line (if any) is formatted only when it is
    /// actually emitted, so callers on hot paths pass a constant message and allocate nothing.
    public void report(Kind kind, String source, String message, long address) {
        Objects.requireNonNull(kind, "kind");
        counts[kind.ordinal()].increment();
        Consumer<String> s = sink;
        if (s != null) {
            emit(s, kind, source, message, true, address);
        }
    }

    private void emit(Consumer<String> s, Kind kind, String source, String message, boolean hasAddr, long addr) {
        long n = logSeq[kind.ordinal()].incrementAndGet();
        String suppressed;
        if (n <= LOG_BURST) {
            suppressed = "";
        } else if (n % LOG_EVERY == 0) {
            // Reports LOG_BURST+1 .. LOG_EVERY-1 were silent before the first periodic line,
            // LOG_EVERY-1 between any two periodic lines after that.
            long silent = n == LOG_EVERY ? LOG_EVERY - LOG_BURST - 1 : LOG_EVERY - 1;
            suppressed = " (" + silent + " suppressed)";
        } else {
            return;
        }
        String where = hasAddr ? " at 0x" + Long.toHexString(addr) : "";
        s.accept("guest error " + kind + " [" + source + "]: " + message + where + suppressed);
    }

    /// All guest errors reported so far.
    public long total() {
        long t = 0;
        for (LongAdder a : counts) {
            t += a.sum();
        }
        return t;
    }

    /// Guest errors of one kind reported so far.
    public long count(Kind kind) {
        return counts[kind.ordinal()].sum();
    }

    /// An immutable snapshot of every kind's count (kinds with zero included).
    public Map<Kind, Long> snapshot() {
        EnumMap<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : KINDS) {
            m.put(k, counts[k.ordinal()].sum());
        }
        return Map.copyOf(m);
    }
}
