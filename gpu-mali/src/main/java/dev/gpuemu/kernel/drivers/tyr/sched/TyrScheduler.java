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
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/// The CSF scheduler (panthor_sched.c, simplified but real): groups get a CSG slot when they have
/// work (a free slot, else one of an idle group, which is terminated to free it); jobs are
/// written into the queue's ring ([JobRing]) and the queue's doorbell rung; completion is learnt
/// from the per-queue kernel sync objects on `CSG_SYNC_UPDATE` interrupts and, as a safety net,
/// by polling them every [#POLL_NS] of simulated time while jobs are in flight.
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
/// One lock guards slots, groups and queues. It is never held by the clock thread while waiting:
/// the poll event only `tryLock`s. Waits for ring space run without it.
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
    private final int csgCount;
    private final int csPerCsg;
    private final int csRegs;
    private final int scoreboards;
    private final TyrGroup[] slots;
    private final List<TyrGroup> groups = new ArrayList<>();
    private final Map<TyrVm, VaRef> vaSpaces = new IdentityHashMap<>();
    private final KernelVaSpace mcuVa = new KernelVaSpace(MCU_IFACE_START, MCU_IFACE_END);
    private final Runnable pollAction = this::pollEvent;
    /// Binds groups that wait for a CSG slot when the poll event found the completions that free
    /// one (the poll runs on the clock thread and may not wait for CSG acknowledgements).
    private SchedTick tick;
    private Timer pollTimer;
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
            cancelJobs(g, Errno.ECANCELED);
            release(g);
        } finally {
            lock.unlock();
        }
    }

    private void release(TyrGroup g) {
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
        lock.lock();
        try {
            return g.jobsInFlight();
        } finally {
            lock.unlock();
        }
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
    public DmaFence[] submit(TyrGroup g, List<JobArgs> jobs) throws KernelException {
        DmaFence[] fences = new DmaFence[jobs.size()];
        for (int k = 0; k < jobs.size(); k++) {
            JobArgs j = jobs.get(k);
            TyrQueue q = g.queues.get(j.queue());
            waitForSpace(g, q, j.streamSize() == 0 ? 0 : JobRing.SLOT_BYTES);
            lock.lock();
            try {
                requireRunning();
                checkVm(g);
                if (!g.canRun()) {
                    throw new KernelException(Errno.EINVAL, g + " cannot run");
                }
                if (j.streamSize() == 0) {
                    fences[k] = q.lastFence != null ? q.lastFence : DmaFence.signaledStub(clock);
                    continue;
                }
                fences[k] = q.push(clock, g.id, csRegs, scoreboards, j);
                kick(g); // panthor rings per job, so a full ring drains while we wait for space
            } finally {
                lock.unlock();
            }
        }
        return fences;
    }

    private void waitForSpace(TyrGroup g, TyrQueue q, long bytes) throws KernelException {
        if (bytes == 0) {
            return;
        }
        boolean ok = clock.await(() -> {
            if (stopped || !g.canRun()) {
                return true;
            }
            if (!lock.tryLock()) {
                return false;
            }
            try {
                return q.free() >= bytes;
            } finally {
                lock.unlock();
            }
        }, RING_WAIT_NS);
        if (!ok) {
            throw new KernelException(Errno.ETIMEDOUT, "ring of queue " + q.index + " stayed full");
        }
    }

    /// Binds `g` if needed and rings its doorbell (`panthor_queue` kick).
    private void kick(TyrGroup g) throws KernelException {
        if (g.csg < 0 && !bind(g)) {
            return; // no slot now; retried on the next submit or completion interrupt
        }
        if (g.canRun()) {
            fw.ringDoorbell(CsgProtocol.doorbell(g.csg));
        }
        ensurePoll();
    }

    private boolean bind(TyrGroup g) throws KernelException {
        int slot = -1;
        for (int i = 0; i < slots.length && slot < 0; i++) {
            if (slots[i] == null) {
                slot = i;
            }
        }
        for (int i = 0; i < slots.length && slot < 0; i++) {
            if (slots[i].jobsInFlight() == 0) {
                unbind(slots[i]);
                slot = i;
            }
        }
        if (slot < 0) {
            return false;
        }
        int as;
        try {
            as = activateEvictingIdle(g);
        } catch (KernelException e) {
            if (e.errno() == Errno.EBUSY) {
                return false; // every address space serves a running group: wait for one to finish
            }
            faultGroup(g, -1);
            throw new KernelException(Errno.EINVAL, g + ": VM cannot be activated");
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

    /// `mmu.activate` for `g`'s VM; when every address space is held by a bound group, unbinds
    /// bound groups without jobs in flight (their VMs go idle) until one frees up.
    private int activateEvictingIdle(TyrGroup g) throws KernelException {
        try {
            return mmu.activate(g.vm.vm());
        } catch (KernelException busy) {
            if (busy.errno() != Errno.EBUSY) {
                throw busy;
            }
            for (int i = 0; i < slots.length; i++) {
                TyrGroup h = slots[i];
                if (h != null && h != g && h.jobsInFlight() == 0) {
                    unbind(h);
                    try {
                        return mmu.activate(g.vm.vm());
                    } catch (KernelException again) {
                        if (again.errno() != Errno.EBUSY) {
                            throw again;
                        }
                    }
                }
            }
            throw busy;
        }
    }

    /// Terminates `g`'s slot (bounded wait), frees it and releases its VM's address space.
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
        mmu.idle(g.vm.vm()); // panthor_vm_idle: the GPU no longer uses the VM for this group
    }

    // ---- completion and faults --------------------------------------------------------------

    /// The `job` interrupt's CSG bits (IRQ thread): acknowledges events, signals finished jobs,
    /// handles fatal errors, then binds groups that wait for a slot.
    void handleCsgIrq(int csgBits) {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            List<TyrGroup> faulted = collectFatals(csgBits);
            processCompletions();
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
            if (g.csg < 0 && g.canRun() && g.jobsInFlight() > 0) {
                try {
                    kick(g);
                } catch (KernelException e) {
                    // faulted by bind: its fences carry the error
                }
            }
        }
    }

    /// The tick thread's work: [#bindWaiting] unless stopped.
    private void tickWork() {
        lock.lock();
        try {
            if (!stopped) {
                bindWaiting();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean anyWaitingForSlot() {
        for (TyrGroup g : groups) {
            if (g.csg < 0 && g.canRun() && g.jobsInFlight() > 0) {
                return true;
            }
        }
        return false;
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
                g.fatalQueues |= 1 << f.cs();
                if (!faulted.contains(g)) {
                    faulted.add(g);
                }
            }
        }
        return faulted;
    }

    /// Signals the jobs whose sync object reached their sequence number.
    private void processCompletions() {
        for (TyrGroup g : groups) {
            for (TyrQueue q : g.queues) {
                if (q.inFlight.isEmpty()) {
                    continue;
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
        }
    }

    /// `group` faulted: the queues in `extra` (or all, when -1; the VM's fault) join
    /// `fatal_queues`, then the group is terminated.
    private void faultGroup(TyrGroup g, int extra) {
        if (extra == -1 || g.vm.vm().isUnusable()) {
            g.fatalQueues |= (1 << g.queues.size()) - 1;
        }
        g.fatalQueues |= extra;
        terminate(g, null);
    }

    /// `group_term_post_processing`: leaves the slot, signals the fences in flight with the
    /// queue's error (`forced`, else `-EINVAL` for fatal queues, `-ETIMEDOUT` for a timed-out
    /// group, `-ECANCELED` for the others), and sets the sync objects so waiters see the end.
    private void terminate(TyrGroup g, Errno forced) {
        unbind(g);
        fail(g, forced);
    }

    /// Marks `g` terminated and signals its jobs with their errors, without touching its slot.
    private void fail(TyrGroup g, Errno forced) {
        g.terminated = true;
        for (TyrQueue q : g.queues) {
            Errno err = forced != null ? forced
                    : (g.fatalQueues >>> q.index & 1) != 0 ? Errno.EINVAL
                    : g.timedout ? Errno.ETIMEDOUT : Errno.ECANCELED;
            q.cancel(g.syncobjs, err);
        }
    }

    private void cancelJobs(TyrGroup g, Errno err) {
        for (TyrQueue q : g.queues) {
            q.cancel(g.syncobjs, err);
        }
    }

    /// A group on an unusable VM has all its queues faulted (also when it was already terminated
    /// by the `CS_FATAL` that came first).
    private void checkVm(TyrGroup g) {
        if (g.vm.vm().isUnusable()) {
            if (g.terminated) {
                g.fatalQueues |= (1 << g.queues.size()) - 1;
            } else {
                faultGroup(g, -1);
            }
        }
    }

    private void ensurePoll() {
        if (!stopped && (pollTimer == null || !pollTimer.isPending())) {
            pollTimer = clock.schedule(POLL_NS, pollAction);
        }
    }

    /// Clock-thread safety net: signals finished jobs without waiting for the lock.
    private void pollEvent() {
        if (stopped) {
            return;
        }
        if (!lock.tryLock()) {
            pollTimer = clock.schedule(POLL_NS, pollAction);
            return;
        }
        try {
            pollTimer = null;
            processCompletions();
            if (anyWaitingForSlot()) {
                tick.request(); // binding waits for acknowledgements: not on the clock thread
            }
            // Faults too: the IRQ thread may lag simulated time. The slot is released later
            // (IRQ thread, eviction, destroy or stop), as waiting is not allowed here.
            for (TyrGroup g : collectFatals(-1)) {
                if (!g.terminated) {
                    fail(g, null);
                }
            }
            for (TyrGroup g : groups) {
                if (g.jobsInFlight() > 0) {
                    pollTimer = clock.schedule(POLL_NS, pollAction);
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /// Waits (simulated, at most `timeoutNs`) for `f`, or until the scheduler stops; true when
    /// `f` signalled.
    public boolean awaitOrStopped(DmaFence f, long timeoutNs) {
        clock.await(() -> f.isSignaled() || stopped, timeoutNs);
        return f.isSignaled();
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
            if (pollTimer != null) {
                pollTimer.cancel();
                pollTimer = null;
            }
            for (TyrGroup g : List.copyOf(groups)) {
                g.terminated = true;
                cancelJobs(g, Errno.ECANCELED);
                release(g);
            }
        } finally {
            lock.unlock();
        }
        tick.close();
        clock.kick();
    }
}
