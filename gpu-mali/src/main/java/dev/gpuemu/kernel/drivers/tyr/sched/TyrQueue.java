package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import java.util.ArrayDeque;
import java.util.Deque;

/// One queue of a group (`panthor_queue`): its priority, its ring buffer (in the group's VM), its
/// ring pointer pages (in the MCU's VM: input page, output page 4 KiB above), its kernel sync
/// object (16 bytes in the group's sync BO: `u64 seqno`, `u32 status`) and the jobs in flight.
///
/// ## Invariants
/// Jobs in `inFlight` have increasing sequence numbers; `insert - doneRing <= ringSize`.
///
/// ## Thread safety
/// Guarded by the scheduler's lock.
public final class TyrQueue {
    /// A job on the ring: done when the sync object reaches `seqno`; `ringEnd` is the ring's
    /// byte count after it.
    record Job(long seqno, DmaFence fence, long ringEnd) {
    }

    final int index;
    final int priority;
    final int ringSize;
    final KernelBo ring;
    final KernelBo iface;
    final long syncVa;
    final Deque<Job> inFlight = new ArrayDeque<>();
    long insert;
    long doneRing;
    long seqno;
    DmaFence lastFence;

    TyrQueue(int index, int priority, int ringSize, KernelBo ring, KernelBo iface, long syncVa) {
        this.index = index;
        this.priority = priority;
        this.ringSize = ringSize;
        this.ring = ring;
        this.iface = iface;
        this.syncVa = syncVa;
    }

    public int index() {
        return index;
    }

    public int priority() {
        return priority;
    }

    public int ringSize() {
        return ringSize;
    }

    /// GPU VA of the ring buffer in the group's VM.
    public long ringVa() {
        return ring.va;
    }

    /// MCU VA of the ring's input pointer page.
    public long ifaceVa() {
        return iface.va;
    }

    /// GPU VA of the queue's kernel sync object.
    public long syncVa() {
        return syncVa;
    }

    /// Ring bytes free for new jobs.
    long free() {
        return JobRing.free(ringSize, insert, doneRing);
    }
}
