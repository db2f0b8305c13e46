package dev.gpuemu.hw.mali;

/// One power domain of the GPU control block (shader cores, tilers or L2): the `*_PRESENT`,
/// `*_READY` and `*_PWRTRANS` masks and the direction each transitioning core is heading.
///
/// A `PWRON`/`PWROFF` write starts a transition for the present cores not already in (or heading
/// to) the requested state: their `PWRTRANS` bits are set at once; the owner schedules
/// [#complete] after the domain's delay, which moves the batch's cores still heading that way to
/// `READY` (on) or out of it (off) and clears their `PWRTRANS` bits. A later opposite request for
/// a core still in transition turns it round; the earlier batch then leaves it alone.
///
/// ## Invariants
/// `ready`, `trans` and `target` are subsets of `present`; `target` is meaningful on `trans` bits.
///
/// ## Thread safety
/// Not thread-safe: used under the device lock.
final class PowerDomain {
    final String name;
    final long present;
    private long ready;
    private long trans;
    private long target;

    PowerDomain(String name, long present) {
        this.name = name;
        this.present = present;
    }

    long ready() {
        return ready;
    }

    long trans() {
        return trans;
    }

    /// Cores that are on or on their way up.
    long onOrRising() {
        return (ready & ~trans) | (trans & target);
    }

    /// Starts powering `mask & present` on; returns the batch of cores that began a transition
    /// (0 if none: already on or rising).
    long requestOn(long mask) {
        long batch = mask & present & ~onOrRising();
        trans |= batch;
        target |= batch;
        return batch;
    }

    /// Starts powering `mask & present` off; returns the batch that began a transition.
    long requestOff(long mask) {
        long batch = mask & present & onOrRising();
        trans |= batch;
        target &= ~batch;
        return batch;
    }

    /// Finishes the transition of `batch` towards `on`; returns the cores that changed state.
    long complete(long batch, boolean on) {
        long heading = on ? target : ~target;
        long done = batch & trans & heading;
        trans &= ~done;
        ready = on ? ready | done : ready & ~done;
        return done;
    }

    /// Everything off, nothing in transition.
    void reset() {
        ready = 0;
        trans = 0;
        target = 0;
    }
}
