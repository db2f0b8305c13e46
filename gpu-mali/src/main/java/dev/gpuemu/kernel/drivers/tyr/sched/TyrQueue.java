package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.CsfIface;
import java.lang.invoke.VarHandle;
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
/// The job state (`inFlight`, `insert`, `doneRing`, `seqno`, `lastFence`) is guarded by
/// [JobFences]' lock, not the scheduler's.
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

    /// Writes job `j` (a `CALL` of the user's stream, then the kernel sync update) into the ring,
    /// publishes the new insert pointer and returns the job's fence. Under the scheduler's lock,
    /// with [#free] checked by the caller.
    DmaFence push(SimClock clock, int groupId, int csRegs, int scoreboards, TyrScheduler.JobArgs j) {
        long seq = ++seqno;
        long[] ins = JobRing.jobInstrs(csRegs, scoreboards, j.streamAddr(), j.streamSize(), j.latestFlush(), syncVa);
        long off = JobRing.offset(ringSize, insert);
        for (int i = 0; i < ins.length; i++) {
            ring.mem.write64(off + 8L * i, ins[i]);
        }
        insert += JobRing.SLOT_BYTES;
        DmaFence f = new DmaFence(clock, "tyr-group" + groupId + "-queue" + index, seq);
        inFlight.addLast(new Job(seq, f, insert));
        lastFence = f;
        // ORDERING: the ring words are visible before the new insert pointer.
        VarHandle.releaseFence();
        iface.mem.write64(CsfIface.Ring.IN_INSERT, insert);
        return f;
    }

    /// Signals every job in flight with `-err` and moves the sync object to the last sequence
    /// number (status `~0`) so nothing waits on it; `syncobjs` is the group's sync BO.
    void cancel(KernelBo syncobjs, Errno err) {
        while (!inFlight.isEmpty()) {
            Job j = inFlight.removeFirst();
            j.fence().setError(-err.code());
            j.fence().signal();
        }
        doneRing = insert;
        if (!syncobjs.isReleased()) {
            syncobjs.mem.write32(16L * index + 8, ~0);
            syncobjs.mem.write64(16L * index, seqno);
        }
    }
}
