package dev.gpuemu.kernel.sync;

/// The counters of a [SrcuSlot], between the left padding ([SrcuSlotPadding]) and the right
/// padding ([SrcuSlot]). Kernel names: `srcu_lock_count[2]` and `srcu_unlock_count[2]`, one
/// pair per epoch index, kept here as four scalar fields (not an array: an array header is a
/// second object whose line the writer would read on every scan).
///
/// All access goes through the `VarHandle`s and methods of [SrcuSlot].
abstract class SrcuSlotCounters extends SrcuSlotPadding {
    /// Thread that owns (and alone writes) the counters; read by the writer to reclaim the slot.
    final Thread owner;
    long lock0;
    long lock1;
    long unlock0;
    long unlock1;

    SrcuSlotCounters(final Thread owner) {
        this.owner = owner;
    }
}
