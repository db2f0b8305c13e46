package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/// The job side of the scheduler: the jobs in flight of every queue, their ring space and their
/// fences, under one lock of its own (panthor's per-queue `fence_ctx.lock` spinlock and
/// `group->fatal_lock`), apart from the scheduler's lock.
///
/// The scheduler's lock is held across waits: CSG acknowledgements, `AS_COMMAND`s, page-table
/// updates, the device lock of every MMIO access. Signalling a finished job never needs it, so a
/// job the GPU finished is signalled by the next completion poll or interrupt whoever holds the
/// scheduler's lock. This matters in simulated time: a thread blocked outside the clock (the
/// device lock, a monitor) counts as idle, so FAST-mode time goes on while it holds the
/// scheduler's lock; the poll must not depend on that lock, or it would let time run on (one
/// poll period per failed attempt) while finished jobs stay unsignalled.
///
/// ## Invariants
/// - The lock is never held across a wait of any kind (simulated time, another lock, MMIO), so
///   the clock thread may take it: it is held only for short memory work. Lock order: the
///   scheduler's lock, then this one.
/// - Every group in [#groups] has live sync objects and rings; a group leaves before they are
///   freed.
///
/// ## Thread safety
/// All methods take the lock; [TyrQueue]'s job state (`inFlight`, `insert`, `doneRing`,
/// `seqno`, `lastFence`) and each group's `terminated`/`fatalQueues` change only under it.
///
/// ## Lifecycle
/// One per scheduler, for its whole life.
final class JobFences {
    /// [#signalCompleted] result: jobs remain in flight.
    static final int JOBS_LEFT = 1;
    /// [#signalCompleted] result: a group that can run has jobs but no CSG slot.
    static final int WAITING_FOR_SLOT = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<TyrGroup> groups = new ArrayList<>();

    void add(TyrGroup g) {
        lock.lock();
        try {
            groups.add(g);
        } finally {
            lock.unlock();
        }
    }

    /// `g` leaves: its jobs are no longer looked at (its memory may be freed after this).
    void remove(TyrGroup g) {
        lock.lock();
        try {
            groups.remove(g);
        } finally {
            lock.unlock();
        }
    }

    /// Whether queue `q` has `bytes` of ring space free.
    boolean hasSpace(TyrQueue q, long bytes) {
        lock.lock();
        try {
            return q.free() >= bytes;
        } finally {
            lock.unlock();
        }
    }

    /// Writes job `j` into `q`'s ring; null when the ring has no slot free (another submitter
    /// took it since the caller waited for space).
    DmaFence push(TyrQueue q, SimClock clock, int groupId, int csRegs, int scoreboards, TyrScheduler.JobArgs j) {
        lock.lock();
        try {
            return q.free() < JobRing.SLOT_BYTES ? null : q.push(clock, groupId, csRegs, scoreboards, j);
        } finally {
            lock.unlock();
        }
    }

    /// `q`'s last job fence, or null when it never had one.
    DmaFence lastFence(TyrQueue q) {
        lock.lock();
        try {
            return q.lastFence;
        } finally {
            lock.unlock();
        }
    }

    int inFlight(TyrGroup g) {
        lock.lock();
        try {
            return g.jobsInFlight();
        } finally {
            lock.unlock();
        }
    }

    /// Signals every job whose sync object reached its sequence number (`group_sync_upd_work`);
    /// returns [#JOBS_LEFT] and [#WAITING_FOR_SLOT] bits. Any thread, the clock thread included.
    int signalCompleted() {
        int result = 0;
        lock.lock();
        try {
            for (int i = 0; i < groups.size(); i++) {
                TyrGroup g = groups.get(i);
                for (int k = 0; k < g.queues.size(); k++) {
                    signalCompleted(g, g.queues.get(k));
                }
                if (g.jobsInFlight() > 0) {
                    result |= JOBS_LEFT;
                    if (g.csg < 0 && g.canRun()) {
                        result |= WAITING_FOR_SLOT;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return result;
    }

    private static void signalCompleted(TyrGroup g, TyrQueue q) {
        if (q.inFlight.isEmpty()) {
            return;
        }
        long done = g.syncobjs.mem.read64(16L * q.index);
        // ORDERING: the job's results are read after its sync object.
        VarHandle.acquireFence();
        while (!q.inFlight.isEmpty() && q.inFlight.peekFirst().seqno() <= done) {
            TyrQueue.Job j = q.inFlight.removeFirst();
            q.doneRing = j.ringEnd();
            j.fence().signal();
        }
    }

    /// Adds `queues` (a bit mask) to `g`'s `fatal_queues`.
    void markFatal(TyrGroup g, int queues) {
        lock.lock();
        try {
            g.fatalQueues |= queues;
        } finally {
            lock.unlock();
        }
    }

    /// Marks `g` terminated and signals its jobs with their queue's error: `forced`, else
    /// `-EINVAL` for fatal queues, `-ETIMEDOUT` for a timed-out group, `-ECANCELED` for the
    /// others (`group_term_post_processing`).
    void fail(TyrGroup g, Errno forced) {
        lock.lock();
        try {
            g.terminated = true;
            for (TyrQueue q : g.queues) {
                Errno err = forced != null ? forced
                        : (g.fatalQueues >>> q.index & 1) != 0 ? Errno.EINVAL
                        : g.timedout ? Errno.ETIMEDOUT : Errno.ECANCELED;
                q.cancel(g.syncobjs, err);
            }
        } finally {
            lock.unlock();
        }
    }
}
