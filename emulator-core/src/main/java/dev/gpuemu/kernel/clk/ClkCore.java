package dev.gpuemu.kernel.clk;

import dev.gpuemu.kernel.Kernel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/// The kernel's clock and regulator bookkeeping: one enable count per `device/consumer` name,
/// shared by every handle to the same input (as the clock framework's `enable_count` is shared by
/// every `struct clk` of one `clk_core`).
///
/// ## Invariants
/// A count never goes below zero: an unbalanced disable is a kernel bug (oops), as Linux WARNs
/// `clk already disabled` / `unbalanced disables`.
///
/// ## Thread safety
/// Thread-safe (atomic counters in a concurrent map).
///
/// ## Lifecycle
/// Created with the kernel on first use ([#of]); lives as long as the kernel.
public final class ClkCore {
    private final Kernel kernel;
    private final Map<String, AtomicInteger> clocks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> supplies = new ConcurrentHashMap<>();

    private ClkCore(Kernel kernel) {
        this.kernel = kernel;
    }

    /// The kernel's instance.
    public static ClkCore of(Kernel kernel) {
        return kernel.subsystem(ClkCore.class, ClkCore::new);
    }

    /// Enable count of clock `name` of device `device` (0 when never enabled).
    public int clockEnableCount(String device, String name) {
        AtomicInteger c = clocks.get(device + "/" + name);
        return c == null ? 0 : c.get();
    }

    /// Enable count of supply `name` of device `device` (0 when never enabled).
    public int supplyEnableCount(String device, String name) {
        AtomicInteger c = supplies.get(device + "/" + name);
        return c == null ? 0 : c.get();
    }

    /// Every clock and supply with a non-zero enable count (`clk_summary`), sorted by name.
    public Map<String, Integer> enabled() {
        Map<String, Integer> out = new TreeMap<>();
        clocks.forEach((k, v) -> {
            if (v.get() != 0) {
                out.put("clk " + k, v.get());
            }
        });
        supplies.forEach((k, v) -> {
            if (v.get() != 0) {
                out.put("supply " + k, v.get());
            }
        });
        return out;
    }

    void enableClock(String key) {
        clocks.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    void disableClock(String key) {
        decrement(clocks, key, "clk " + key + " already disabled");
    }

    void enableSupply(String key) {
        supplies.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    void disableSupply(String key) {
        decrement(supplies, key, "unbalanced disables for " + key);
    }

    private void decrement(Map<String, AtomicInteger> map, String key, String bug) {
        AtomicInteger c = map.get(key);
        if (c == null || c.getAndUpdate(v -> v > 0 ? v - 1 : v) <= 0) {
            throw kernel.oopses().bug(bug);
        }
    }
}
