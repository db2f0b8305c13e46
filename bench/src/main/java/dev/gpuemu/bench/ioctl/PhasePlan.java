package dev.gpuemu.bench.ioctl;

/// How long one phase runs per thread: a measured `count` of ops, or a measured `durationNs`
/// (exactly one is non-zero), after a warm-up of `warmUpOps` ops or `warmUpNs`.
record PhasePlan(long count, long durationNs, long warmUpOps, long warmUpNs) {
    PhasePlan {
        if ((count > 0) == (durationNs > 0)) {
            throw new IllegalArgumentException("exactly one of count and duration: " + count + ", " + durationNs);
        }
    }

    /// A plan measuring only as long as this plan's warm-up (for a discarded warm-up round).
    PhasePlan warmUpOnly() {
        return warmUpOps > 0 ? new PhasePlan(warmUpOps, 0, 1, 0) : new PhasePlan(0, Math.max(1, warmUpNs), 0, 0);
    }

    /// The plan for a kind of weight `weight`: the base count or duration times the weight; the
    /// warm-up is a fifth of it (at most 1 s, at least 1 op).
    static PhasePlan of(long count, long durationNs, int weight) {
        if (count > 0) {
            long c = count * weight;
            return new PhasePlan(c, 0, Math.max(1, c / 5), 0);
        }
        long d = durationNs * weight;
        return new PhasePlan(0, d, 0, Math.min(d / 5, 1_000_000_000L));
    }
}
