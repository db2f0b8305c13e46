package dev.gpuemu.machine.time;

import java.math.BigInteger;
import java.util.Objects;

/// A named clock (a GPU core clock, a memory clock, a bus clock) that converts between its
/// cycles and simulated nanoseconds. Cycle 0 is at simulated time 0 (power-on).
///
/// Rounding: [#cyclesToNs] rounds **up** (work of `n` cycles is finished no earlier than the
/// end of its last cycle), [#nsToCycles] rounds **down** (a cycle counter shows completed
/// cycles only). Hence `nsToCycles(cyclesToNs(c)) >= c`, with equality for every `c >= 0` when
/// `hz <= 1 GHz` (a cycle lasts at least 1 ns); faster clocks lose sub-nanosecond detail.
///
/// ## Invariants
/// - `name` is non-blank, `hz > 0`.
/// - Conversions are exact integer arithmetic (no floating point), also for clocks above
///   9.22 GHz, where a slower 128-bit path is taken. A result that does not fit in a long
///   throws [ArithmeticException].
///
/// ## Thread safety
/// Immutable.
///
/// @param name the domain's name, unique per [SimClock]
/// @param hz the frequency in cycles per second
public record ClockDomain(String name, long hz) {
    private static final long NS_PER_S = 1_000_000_000L;
    /// Largest frequency for which `r * NS_PER_S` and `r * hz` (with `r < max(hz, NS_PER_S)`)
    /// cannot overflow.
    private static final long FAST_PATH_MAX_HZ = Long.MAX_VALUE / NS_PER_S;

    /// Validates the components.
    public ClockDomain {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("clock domain name is blank");
        }
        if (hz <= 0) {
            throw new IllegalArgumentException("clock domain " + name + ": hz must be > 0, got " + hz);
        }
    }

    /// @param cycles a cycle count, `>= 0`
    /// @return the simulated time `cycles` take, in ns, rounded up
    public long cyclesToNs(long cycles) {
        requireNonNegative(cycles, "cycles");
        if (hz <= FAST_PATH_MAX_HZ) {
            // cycles = q * hz + r, so cycles * 1e9 / hz = q * 1e9 + r * 1e9 / hz exactly.
            long q = cycles / hz;
            long r = cycles % hz;
            long part = (r * NS_PER_S + hz - 1) / hz;
            return Math.addExact(Math.multiplyExact(q, NS_PER_S), part);
        }
        return mulDiv(cycles, NS_PER_S, hz, true);
    }

    /// @param ns a duration in simulated ns, `>= 0`
    /// @return the number of complete cycles in `ns`, rounded down
    public long nsToCycles(long ns) {
        requireNonNegative(ns, "ns");
        if (hz <= FAST_PATH_MAX_HZ) {
            long q = ns / NS_PER_S;
            long r = ns % NS_PER_S;
            return Math.addExact(Math.multiplyExact(q, hz), r * hz / NS_PER_S);
        }
        return mulDiv(ns, hz, NS_PER_S, false);
    }

    /// The value a free-running cycle counter of this domain shows at `simNs` (for example a
    /// GPU's `CYCLE_COUNT` register): the number of cycles completed since power-on.
    ///
    /// @param simNs a simulated time, `>= 0`, typically [SimClock#nowNs()]
    /// @return completed cycles at `simNs`
    public long cycleCountAt(long simNs) {
        return nsToCycles(simNs);
    }

    private static long mulDiv(long a, long b, long c, boolean roundUp) {
        BigInteger[] qr = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b))
                .divideAndRemainder(BigInteger.valueOf(c));
        BigInteger q = qr[0];
        if (roundUp && qr[1].signum() != 0) {
            q = q.add(BigInteger.ONE);
        }
        return q.longValueExact();
    }

    private static void requireNonNegative(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        }
    }
}
