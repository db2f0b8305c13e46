package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.drivers.tyr.fw.TyrFw;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrMmu;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.machine.time.Timer;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/// The CSF scheduler (panthor_sched.c, simplified but real): groups get a CSG slot when they have
/// work (a free slot, else one of an idle group, which is terminated to free it); jobs are
/// written into the queue's ring ([JobRing]) and the queue's doorbell rung; completion is learnt
/// from the per-queue kernel sync objects on `CSG_SYNC_UPDATE` interrupts and, as a safety net,
/// by polling them every [#POLL_NS] of simulated time while jobs are in flight. Completion runs
/// under [JobFences]' lock, never under the scheduler's: see there why.
///
/// ## Address spaces
/// A bound group keeps its VM active in the MMU (`panthor_vm_active` at bind, `panthor_vm_idle`
/// at unbind), so its address space is never given to another VM while its streams run. When
/// every address space is active, idle groups leave their slots; if none can, the group waits
/// for a slot as when all CSG slots are busy.
///
/// ## Faults
/// A `CS_FATAL` marks the queue in the group's `fatal_queues`; the group is terminated: its slot
/// is released (`CSG_STATE_TERMINATE`) and every job still in flight is signalled with an error,
/// as `group_term_post_processing`: `-EINVAL` on the faulting queue, `-ECANCELED` on the others
/// (`-ETIMEDOUT` for a group whose slot did not answer). A group whose VM became unusable (MMU
/// fault) is faulted on all its queues. A group that cannot run refuses new jobs (`EINVAL`).
///
/// ## Unbind
/// [#stop] terminates every bound group (bounded wait), signals every pending fence with
/// `-ECANCELED`, frees ring buffers, sync objects and interface pages, and never touches the
/// device again; later calls fail with `ENODEV`.
///
/// ## Thread safety
/// One lock guards slots, the group list and binding; it is held across waits (CSG
/// acknowledgements, MMU commands) and never taken on the clock thread. Jobs in flight, ring
/// space and fences are guarded by [JobFences] (taken after it, never held across a wait); the
/// poll event takes only that one. Waits for ring space run without the scheduler's lock.
///
/// ## Lifecycle
/// [#start] at probe (after the MCU booted) → [#stop] once, before the firmware stops.
public final class TyrScheduler {
    /// Completion poll period while jobs are in flight (simulated).
    public static final long POLL_NS = 1_000_000L;
    /// Longest a submit waits for ring space (simulated).
    public static final long RING_WAIT_NS = 10_000_000_000L;
    /// Interface pages of a queue in the MCU VM: `[MCU_IFACE_START, MCU_IFACE_END)`.
    static final long MCU_IFACE_START = 0x0800_0000L;
    static final long MCU_IFACE_END = 0x1000_0000L;

    private final Device<? extends Bound> dev;
    private final TyrFw fw;
    private final TyrMmu mmu;
    private final SimClock clock;
    private final CsgProtocol csf;
    private final ReentrantLock lock = new ReentrantLock();
    private final JobFences jobs = new JobFences();
    private final int csgCount;
    private final int csPerCsg;
    private final int csRegs;
    private final int scoreboards;
    private final TyrGroup[] slots;
    private final List<TyrGroup> groups = new ArrayList<>();
    private final Map<TyrVm, VaRef> vaSpaces = new IdentityHashMap<>();
    private final KernelVaSpace mcuVa = new KernelVaSpace(MCU_IFACE_START, MCU_IFACE_END);
    private final Runnable pollAction = this::pollEvent;
    /// Binds groups that wait for a CSG slot and handles faults when the poll event found work
    /// for it (the poll runs on the clock thread and may not wait for CSG acknowledgements).
    private SchedTick tick;
    private Timer pollTimer; // guarded by pollLock
    private final Object pollLock = new Object();
    private int nextId = 1;
    private volatile boolean stopped;

    private static final class VaRef {
        final KernelVaSpace space;
        int users;

        VaRef(KernelVaSpace space) {
            this.space = space;
        }
    }

    private TyrScheduler(Device<? extends Bound> dev, TyrFw fw, TyrMmu mmu) {
        this.dev = dev;
        this.fw = fw;
        this.mmu = mmu;
        this.clock = dev.kernel().clock();
        this.csf = new CsgProtocol(fw);
        this.csgCount = Math.min(fw.glb().groupNum(), 31);
        this.csPerCsg = csgCount == 0 ? 0 : fw.csgControlWord(0, CsfIface.Csg.STREAM_NUM);
        int features = csPerCsg == 0 ? 0 : fw.csControlWord(0, 0, CsfIface.Cs.FEATURES);
        this.csRegs = CsfIface.Cs.workRegs(features);
        this.scoreboards = CsfIface.Cs.scoreboards(features);
        this.slots = new TyrGroup[csgCount];
    }

    /// `panthor_sched_init`: reads the CSG/CS counts and stream features from the booted
    /// firmware and installs the CSG interrupt handler.
    ///
    /// @throws KernelException `EINVAL` when the firmware offers no CSG or CS slot or too few
    ///         registers for the job sequence
    public static TyrScheduler start(Device<? extends Bound> dev, TyrFw fw, TyrMmu mmu) throws KernelException {
        if (fw.glb() == null) {
            throw new IllegalStateException("scheduler started before the MCU booted");
        }
        TyrScheduler s = new TyrScheduler(dev, fw, mmu);
        if (s.csgCount == 0 || s.csPerCsg == 0 || s.csRegs < 8) {
            dev.err("Invalid CSG/CS interface: " + s.csgCount + " CSGs, " + s.csPerCsg + " CSs, " + s.csRegs + " regs");
            throw new KernelException(Errno.EINVAL, "no usable CSG/CS slot");
        }
        s.tick = new SchedTick(s.clock, "tyr-sched-tick", s::tickWork);
        fw.setCsgEventHandler(s::handleCsgIrq);
        return s;
    }

    public int csgSlotCount() {
        return csgCount;
    }

    public int csPerCsg() {
        return csPerCsg;
    }

    public boolean isStopped() {
        return stopped;
    }

    // ---- groups ------------------------------------------------------------------------------

    /// A queue to create: priority 0..15, ring size a power of two in 4..64 KiB (checked by the
    /// ioctl).
    public record QueueArgs(int priority, int ringSize) {
    }

    /// `panthor_group_create` after argument checks: allocates the group's sync objects and
    /// each queue's ring buffer (group VM, kernel VA range) and pointer pages (MCU VM).
    public TyrGroup createGroup(GroupVm vm, int priority, int[] maxCores, long[] masks, List<QueueArgs> queueArgs)
            throws KernelException {
        if (queueArgs.isEmpty() || queueArgs.size() > csPerCsg) {
            throw new KernelException(Errno.EINVAL, "queue count " + queueArgs.size());
        }
        lock.lock();
        try {
            requireRunning();
            if (vm.vm().isDestroyed() || vm.vm().isUnusable()) {
                throw new KernelException(Errno.EINVAL, vm.vm() + " cannot take groups");
            }
            int id = nextId++;
            VaRef ref = vaSpaces.computeIfAbsent(vm.vm(), v -> new VaRef(new KernelVaSpace(vm.kernelVaStart(),
                    vm.kernelVaEnd())));
            ref.users++;
            List<KernelBo> made = new ArrayList<>();
            try {
                KernelBo sync = KernelBo.create(dev, vm.vm(), ref.space, 16L * queueArgs.size(),
                        TyrVm.MAP_NOEXEC | TyrVm.MAP_UNCACHED, "group" + id + " syncobjs");
                made.add(sync);
                List<TyrQueue> queues = new ArrayList<>();
                for (int i = 0; i < queueArgs.size(); i++) {
                    QueueArgs a = queueArgs.get(i);
                    KernelBo ring = KernelBo.create(dev, vm.vm(), ref.space, a.ringSize(),
                            TyrVm.MAP_NOEXEC | TyrVm.MAP_UNCACHED, "group" + id + " ring" + i);
                    made.add(ring);
                    KernelBo iface = KernelBo.create(dev, fw.vm(), mcuVa, 2 * KernelVaSpace.PAGE,
                            TyrVm.MAP_NOEXEC | TyrVm.MAP_UNCACHED, "group" + id + " queue" + i + " iface");
                    made.add(iface);
                    queues.add(new TyrQueue(i, a.priority(), a.ringSize(), ring, iface, sync.va + 16L * i));
                }
                TyrGroup g = new TyrGroup(id, vm, priority, maxCores, masks, queues, sync);
                groups.add(g);
                jobs.add(g);
                return g;
            } catch (KernelException | RuntimeException e) {
                made.forEach(KernelBo::release);
                dropVaRef(vm.vm());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropVaRef(TyrVm vm) {
        VaRef ref = vaSpaces.get(vm);
        if (ref != null && --ref.users == 0) {
            vaSpaces.remove(vm);
        }
    }

    /// `panthor_group_destroy`: the group leaves its slot, its jobs in flight are cancelled
    /// (`-ECANCELED`) and its memory freed. After [#stop] only the bookkeeping is dropped.
    public void destroyGroup(TyrGroup g) {
        lock.lock();
        try {
            if (g.destroyed) {
                throw new IllegalStateException(g + " already destroyed");
            }
            g.destroyed = true;
            if (stopped) {
                return; // stop() cancelled and freed everything
            }
            unbind(g);
            jobs.fail(g, Errno.ECANCELED);
            release(g);
        } finally {
            lock.unlock();
        }
    }

    private void release(TyrGroup g) {
        jobs.remove(g); // before its sync objects and rings are freed
        for (TyrQueue q : g.queues) {
            q.ring.release();
            q.iface.release();
        }
        g.syncobjs.release();
        groups.remove(g);
        dropVaRef(g.vm.vm());
    }

    /// Snapshot of `g`'s jobs in flight.
    public int jobsInFlight(TyrGroup g) {
        return jobs.inFlight(g);
    }

    // ---- submission --------------------------------------------------------------------------

    /// A job for queue `queue`: the user's stream (`streamSize == 0` for a pure sync point).
    public record JobArgs(int queue, long streamAddr, int streamSize, int latestFlush) {
    }

    /// Queues `jobs` (already validated) on `g`, in order, and kicks the GPU. Returns one fence per
    /// job: the job's own, or for an empty stream the queue's last fence (a signalled stub when
    /// none).
    ///
    /// @throws KernelException `EINVAL` when the group cannot run, `ENODEV` after [#stop],
    ///         `ETIMEDOUT` when a ring stays full for [#RING_WAIT_NS]
    public DmaFence[] submit(TyrGroup g, List<JobArgs> jobArgs) throws KernelException {
        DmaFence[] fences = new DmaFence[jobArgs.size()];
        for (int k = 0; k < jobArgs.size(); k++) {
            JobArgs j = jobArgs.get(k);
            TyrQueue q = g.queues.get(j.queue());
            long deadline = clock.nowNs() + RING_WAIT_NS;
            while (fences[k] == null) {
                if (j.streamSize() != 0) {
                    waitForSpace(g, q, deadline);
                }
                lock.lock();
                try {
                    requireRunning();
                    checkVm(g);
                    if (!g.canRun()) {
                        throw new KernelException(Errno.EINVAL, g + " cannot run");
                    }
                    if (j.streamSize() == 0) {
                        DmaFence last = jobs.lastFence(q);
                        fences[k] = last != null ? last : DmaFence.signaledStub(clock);
                        continue;
                    }
                    fences[k] = jobs.push(q, clock, g.id, csRegs, scoreboards, j);
                    if (fences[k] != null) {
                        kick(g); // panthor rings per job, so a full ring drains while we wait for space
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
        return fences;
    }

    /// Waits (simulated, until `deadline`) for a job slot in `q`'s ring. The condition runs on
    /// the clock thread and takes only [JobFences]' lock, which no waiting thread holds, so it
    /// sees every completion (each signal kicks the clock).
    private void waitForSpace(TyrGroup g, TyrQueue q, long deadline) throws KernelException {
        long left = deadline - clock.nowNs();
        boolean ok = left > 0 && clock.await(() -> stopped || !g.canRun() || jobs.hasSpace(q, JobRing.SLOT_BYTES),
                left);
        if (!ok) {
            throw new KernelException(Errno.ETIMEDOUT, "ring of queue " + q.index + " stayed full");
        }
    }

    /// Binds `g` if needed and rings its doorbell (`panthor_queue` kick).
    private void kick(TyrGroup g) throws KernelException {
        ensurePoll(); // also when no slot is free: the poll asks the tick to bind the group later
        if (g.csg < 0 && !bind(g)) {
            return; // no slot or address space now; retried by the tick, a submit or an interrupt
        }
        if (g.canRun()) {
            fw.ringDoorbell(CsgProtocol.doorbell(g.csg));
        }
    }

    private boolean bind(TyrGroup g) throws KernelException {
        int slot = -1;
        for (int i = 0; i < slots.length && slot < 0; i++) {
            if (slots[i] == null) {
                slot = i;
            }
        }
        for (int i = 0; i < slots.length && slot < 0; i++) {
            if (jobs.inFlight(slots[i]) == 0) {
                unbind(slots[i]);
                slot = i;
            }
        }
        if (slot < 0) {
            return false;
        }
        int as = activateVm(g);
        if (as < 0) {
            return false;
        }
        slots[slot] = g;
        g.csg = slot;
        if (!csf.start(slot, g, as)) {
            dev.err("CSG " + slot + " start timeout");
            g.timedout = true;
            terminate(g, Errno.ETIMEDOUT);
            return false;
        }
        return true;
    }

    /// `panthor_vm_active` for `g`'s VM: its address space, or -1 when every one is held by a
    /// running group (idle bound groups leave their slots to free one first). A VM that cannot
    /// be activated faults the group.
    private int activateVm(TyrGroup g) throws KernelException {
        int next = 0;
        while (true) {
            try {
                return mmu.activate(g.vm.vm());
            } catch (KernelException e) {
                if (e.errno() != Errno.EBUSY) {
                    faultGroup(g, -1);
                    throw new KernelException(Errno.EINVAL, g + ": VM cannot be activated");
                }
            }
            while (next < slots.length && (slots[next] == null || jobs.inFlight(slots[next]) > 0)) {
                next++;
            }
            if (next == slots.length) {
                return -1;
            }
            unbind(slots[next]);
        }
    }

    /// Terminates `g`'s slot (bounded wait), frees it and lets its VM go idle.
    private void unbind(TyrGroup g) {
        int slot = g.csg;
        if (slot < 0) {
            return;
        }
        if (fw.isLive()) {
            csf.requestTerminate(slot, g);
            if (!csf.waitState(slot)) {
                dev.err("CSG " + slot + " terminate timeout");
            }
        }
        slots[slot] = null;
        g.csg = -1;
        mmu.idle(g.vm.vm());
    }

    // ---- completion and faults --------------------------------------------------------------

    /// The `job` interrupt's CSG bits (IRQ thread): signals finished jobs (without the
    /// scheduler's lock), then acknowledges events, handles fatal errors and binds groups that
    /// wait for a slot.
    void handleCsgIrq(int csgBits) {
        if (stopped) {
            return;
        }
        jobs.signalCompleted();
        schedWork(csgBits);
    }

    /// Under the scheduler's lock: acknowledges the events of the slots in `csgBits` (-1: all),
    /// faults the groups that hit a `CS_FATAL` or whose VM became unusable, releases the slots of
    /// terminated groups, then binds waiting groups. Waits for CSG acknowledgements, so never on
    /// the clock thread.
    private void schedWork(int csgBits) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            List<TyrGroup> faulted = collectFatals(csgBits);
            for (TyrGroup g : List.copyOf(groups)) {
                if (!g.terminated && faulted.contains(g)) {
                    faultGroup(g, 0);
                } else if (g.terminated && g.csg >= 0) {
                    unbind(g); // failed by the poll event, which cannot wait
                }
                checkVm(g);
            }
            bindWaiting();
        } finally {
            lock.unlock();
        }
    }

    /// Binds and kicks every group that has jobs but no CSG slot, while slots can be found.
    /// Under the lock; waits for CSG acknowledgements, so never on the clock thread.
    private void bindWaiting() {
        for (TyrGroup g : List.copyOf(groups)) {
            if (g.csg < 0 && g.canRun() && jobs.inFlight(g) > 0) {
                try {
                    kick(g);
                } catch (KernelException e) {
                    // faulted by bind: its fences carry the error
                }
            }
        }
    }

    /// The tick thread's work: what the job interrupt does for all slots.
    private void tickWork() {
        schedWork(-1);
    }

    /// Acknowledges the events of the slots in `csgBits` and records their `CS_FATAL`s in the
    /// groups' `fatal_queues`; returns the groups that faulted.
    private List<TyrGroup> collectFatals(int csgBits) {
        List<TyrGroup> faulted = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            TyrGroup g = slots[i];
            if ((csgBits >>> i & 1) == 0 || g == null) {
                continue;
            }
            for (CsgProtocol.CsFatal f : csf.ackEvents(i, g.queues.size())) {
                int type = f.fatal() & 0xFF;
                dev.warn(String.format("CSG slot %d CS slot: %d%nCS_FATAL.EXCEPTION_TYPE: 0x%x (%s)%n"
                        + "CS_FATAL.EXCEPTION_DATA: 0x%x%nCS_FATAL_INFO.EXCEPTION_DATA: 0x%x", i, f.cs(), type,
                        MaliException.name(type), f.fatal() >>> 8, f.info()));
                jobs.markFatal(g, 1 << f.cs());
                if (!faulted.contains(g)) {
                    faulted.add(g);
                }
            }
        }
        return faulted;
    }

    /// `group` faulted: the queues in `extra` (or all, when -1; the VM's fault) join
    /// `fatal_queues`, then the group is terminated.
    private void faultGroup(TyrGroup g, int extra) {
        if (extra == -1 || g.vm.vm().isUnusable()) {
            jobs.markFatal(g, (1 << g.queues.size()) - 1);
        }
        jobs.markFatal(g, extra);
        terminate(g, null);
    }

    /// `group_term_post_processing`: leaves the slot, signals the fences in flight with the
    /// queue's error (`forced`, else `-EINVAL` for fatal queues, `-ETIMEDOUT` for a timed-out
    /// group, `-ECANCELED` for the others), and sets the sync objects so waiters see the end.
    private void terminate(TyrGroup g, Errno forced) {
        unbind(g);
        jobs.fail(g, forced);
    }

    /// A group on an unusable VM has all its queues faulted (also when it was already terminated
    /// by the `CS_FATAL` that came first).
    private void checkVm(TyrGroup g) {
        if (g.vm.vm().isUnusable()) {
            if (g.terminated) {
                jobs.markFatal(g, (1 << g.queues.size()) - 1);
            } else {
                faultGroup(g, -1);
            }
        }
    }

    private void ensurePoll() {
        synchronized (pollLock) {
            if (!stopped && (pollTimer == null || !pollTimer.isPending())) {
                pollTimer = clock.schedule(POLL_NS, pollAction);
            }
        }
    }

    /// Clock-thread safety net (never takes the scheduler's lock, never waits): signals finished
    /// jobs, and asks the tick for what needs the lock (a group waiting for a slot, an event of a
    /// bound slot not yet handled by the interrupt thread: faults). Re-arms while jobs are in
    /// flight.
    private void pollEvent() {
        if (stopped) {
            return;
        }
        int state = jobs.signalCompleted();
        if ((state & JobFences.WAITING_FOR_SLOT) != 0 || csf.anyCsIrqPending(csgCount)) {
            tick.request(); // binding and acknowledging wait for the firmware: not on the clock thread
        }
        synchronized (pollLock) {
            pollTimer = null;
            if ((state & JobFences.JOBS_LEFT) != 0 && !stopped) {
                pollTimer = clock.schedule(POLL_NS, pollAction);
            }
        }
    }

    /// Waits (simulated, at most `timeoutNs`) for `f`, or until the scheduler stops; true when
    /// `f` signalled.
    public boolean awaitOrStopped(DmaFence f, long timeoutNs) {
        clock.await(() -> f.isSignaled() || stopped, timeoutNs);
        return f.isSignaled();
    }

    /// Runs `body` under the scheduler's lock, as a long tick, ioctl or unbind holds it (tests:
    /// completion must not depend on this lock).
    void whileLocked(Runnable body) {
        lock.lock();
        try {
            body.run();
        } finally {
            lock.unlock();
        }
    }

    private void requireRunning() throws KernelException {
        if (stopped) {
            throw new KernelException(Errno.ENODEV, "scheduler stopped");
        }
    }

    // ---- unbind ------------------------------------------------------------------------------

    /// `panthor_sched_unplug`: terminates bound groups (each wait bounded by 100 ms simulated),
    /// signals every pending fence with `-ECANCELED`, frees all group memory; once.
    public void stop() {
        lock.lock();
        try {
            if (stopped) {
                throw new IllegalStateException("scheduler already stopped");
            }
            fw.setCsgEventHandler(null);
            for (TyrGroup g : slots) {
                if (g != null) {
                    unbind(g);
                }
            }
            stopped = true;
            synchronized (pollLock) {
                if (pollTimer != null) {
                    pollTimer.cancel();
                    pollTimer = null;
                }
            }
            for (TyrGroup g : List.copyOf(groups)) {
                jobs.fail(g, Errno.ECANCELED);
                release(g);
            }
        } finally {
            lock.unlock();
        }
        tick.close();
        clock.kick();
    }
}
