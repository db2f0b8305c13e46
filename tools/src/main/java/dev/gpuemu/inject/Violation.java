package dev.gpuemu.inject;

/// One broken invariant: which (1..8, numbered as in the issue and docs/INJECT.md), at which step
/// (0 setup, 1..K the injection cycles, K+1 teardown) and what was seen.
///
/// @param invariant the invariant's number, 1..8
/// @param step      the cycle during which it was seen
/// @param detail    what was seen, for a human
public record Violation(int invariant, long step, String detail) {
    public Violation {
        if (invariant < 1 || invariant > 8) {
            throw new IllegalArgumentException("invariant " + invariant);
        }
    }
}
