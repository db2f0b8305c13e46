package dev.gpuemu.machine.time;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/// Simulated time: a discrete-event scheduler with one clock thread (QEMU's virtual clock plus
/// its main loop's timer list).
///
/// Every event action (device timers, IRQ delivery) runs on the clock thread `gpuemu-clock`.
/// Other threads never run events; they wait against simulated time with [#sleep], [#await] or
/// [#advance]. Due events (time `<= now`) always run promptly, in `(time, scheduling sequence)`
/// order; that total order makes a run deterministic when one thread drives time.
///
/// - [ClockMode#FAST]: time advances only while at least one thread waits. The clock thread then
///   sets `now` to the earliest of the next event time and the earliest waiter deadline. Before
///   jumping to a **conditional** waiter's deadline across a gap without events (a timeout would
///   fire), it waits an idle grace of real time (default [#DEFAULT_IDLE_GRACE_NS]); a [#kick],
///   a new event or a new waiter in that window cancels the jump. This keeps a wait whose
///   condition another non-clock thread is about to satisfy from timing out spuriously. Jumps to
///   the next event and to the end of a plain sleep need no grace.
///
///   **Participants** ([#participate], [#participating]) close the rest of that race for the
///   threads that take part in simulated time (threaded IRQ handlers, userspace threads of a
///   workload): in FAST mode `now` advances only while **no participant is running**. Each one
///   is idle when it waits on this clock, is in [Participant#idleWhile] with its predicate true,
///   or is parked outside the clock (a lock, a join). A waiter the clock releases counts as
///   running from before its unpark until it runs again; a thread queued on this clock's lock
///   counts as running. While a participant runs, due events (at the current `now`) still run,
///   but time stands still: the work a participant does between two waits takes no simulated
///   time, so a threaded IRQ handler that is slow in real time cannot let a device or a poll
///   timer run ahead of it, and a run's simulated timeline does not depend on host speed. The
///   grace applies on top, so non-participants keep exactly the old behaviour; a run without
///   participants decides exactly as before. Participants must wait for time through the
///   clock or charge their work ([#chargeParticipant]; every syscall does): one that spins on
///   [#nowNs()] or on device memory waiting for time to pass stops it.
/// - [ClockMode#PACED]: time tracks wall time. Events run when their time arrives; threads other
///   than the clock thread see `now` advance with wall time even when nothing waits.
///
/// Conditions passed to [#await] are evaluated on the clock thread (outside the clock's lock)
/// after every event it runs, on [#kick] and when the waiter arrives; once more on the waiter's
/// thread when the deadline is reached (like Linux's `wait_event_timeout`, which re-checks at
/// timeout). A condition may therefore consume something (a completion count): `await` returns
/// true exactly when one evaluation returned true, and no evaluation follows a true one.
///
/// ## Invariants
/// - `now` never decreases. An event runs with `nowNs() == deadlineNs()` on the clock thread.
/// - Every event runs at most once, never after it was cancelled, never after `close()`.
/// - An exception escaping an event action is an emulator bug: it is recorded in [#failures()],
///   passed to the failure sink, and the clock keeps running.
///
/// ## Thread safety
/// All methods are thread-safe. [#sleep], [#await] and [#advance] throw
/// [IllegalStateException] on the clock thread: an event must not block time ("sleeping in
/// atomic context"). State is guarded by one [ReentrantLock]; `now` is published with
/// release/acquire so [#nowNs()] is one acquire-load.
///
/// ## Lifecycle
/// The constructor starts the clock thread. [#close()] stops it, drops pending events and
/// releases every waiter with [ClockClosedException]; later schedules and waits throw
/// [ClockClosedException], a second `close()` throws [IllegalStateException].
public final class SimClock implements AutoCloseable {
    /// Default real-time idle grace before a FAST-mode timeout jump, in ns (50 µs).
    public static final long DEFAULT_IDLE_GRACE_NS = 50_000L;
    /// A participant's charged work ([#chargeParticipant]) is slept off in quanta of this much
    /// simulated time (10 µs), so charging costs one clock wait per quantum, not per call.
    public static final long PARTICIPANT_QUANTUM_NS = 10_000L;
    /// How often (real time) the clock thread re-examines running participants while they hold
    /// back a timeout: a thread that blocks on a lock or dies tells nobody.
    static final long PARTICIPANT_POLL_NS = 200_000L;

    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findVarHandle(SimClock.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Package-private state is shared with ClockLoop, the clock thread's body.
    final ClockMode mode;
    final long idleGraceNanos;
    private final long wallOrigin = System.nanoTime();
    final ReentrantLock lock = new ReentrantLock();
    final EventQueue queue = new EventQueue();
    final WaiterSet waiters = new WaiterSet();
    final Participants participants = new Participants();
    private final Map<String, ClockDomain> domains = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final ParticipantCharges charges = new ParticipantCharges(this);
    private volatile Consumer<Throwable> failureSink;

    /// Simulated ns since power-on. Written only by the clock thread under the lock (release),
    /// read anywhere through [#nowNs()] (acquire).
    @SuppressWarnings("unused") // accessed through NOW
    private long now;
    private long nextSeq;          // guarded by lock
    int generation;                // guarded by lock; bumped by every change the clock must see
    volatile long changes;         // written under lock; what may change a poll's read ([PollSleep])
    int pollers;                   // guarded by lock; waiters in [#sleepPoll]
    boolean kickPending;           // guarded by lock
    boolean closed;                // guarded by lock

    /// Creates and starts a clock with the default idle grace.
    ///
    /// @param mode fast or paced
    public SimClock(ClockMode mode) {
        this(mode, DEFAULT_IDLE_GRACE_NS);
    }

    /// Creates and starts a clock.
    ///
    /// @param mode fast or paced
    /// @param idleGraceNanos real-time grace before a FAST-mode timeout jump; 0 disables it
    public SimClock(ClockMode mode, long idleGraceNanos) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (idleGraceNanos < 0) {
            throw new IllegalArgumentException("idleGraceNanos must be >= 0, got " + idleGraceNanos);
        }
        this.idleGraceNanos = idleGraceNanos;
        this.thread = Thread.ofPlatform().daemon().name("gpuemu-clock").unstarted(new ClockLoop(this));
        thread.start();
    }

    /// @return the mode given at construction
    public ClockMode mode() {
        return mode;
    }

    /// Simulated ns since power-on. On the clock thread this is the time of the event being run.
    /// In PACED mode other threads see the larger of that and the wall time elapsed since the
    /// clock was created.
    ///
    /// ORDERING: acquire; everything the clock thread did before publishing this time (the
    /// events up to it) is visible to the caller.
    public long nowNs() {
        long t = (long) NOW.getAcquire(this);
        if (mode == ClockMode.PACED && Thread.currentThread() != thread) {
            return Math.max(t, wallElapsed());
        }
        return t;
    }

    /// Schedules `action` to run on the clock thread `delayNs` after [#nowNs()].
    ///
    /// @param delayNs delay in simulated ns, `>= 0` (saturates at `Long.MAX_VALUE`)
    /// @param action what to run; exceptions it throws are recorded as failures
    /// @return the timer, for cancelling
    /// @throws ClockClosedException if the clock is closed
    public Timer schedule(long delayNs, Runnable action) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delayNs must be >= 0, got " + delayNs);
        }
        return enqueue(delayNs, action, true);
    }

    /// Schedules `action` at absolute simulated time `whenNs`; a time in the past means "as soon
    /// as possible" and is clamped to now (see [Timer#deadlineNs()]).
    ///
    /// @param whenNs absolute simulated time in ns
    /// @param action what to run
    /// @return the timer, for cancelling
    /// @throws ClockClosedException if the clock is closed
    public Timer scheduleAt(long whenNs, Runnable action) {
        return enqueue(whenNs, action, false);
    }

    /// Blocks the caller for `ns` of simulated time (uninterruptible, like `msleep`).
    ///
    /// @param ns simulated ns, `>= 0`
    /// @throws IllegalStateException on the clock thread
    /// @throws ClockClosedException if the clock is or gets closed
    public void sleep(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("ns must be >= 0, got " + ns);
        }
        requireNotClockThread();
        if (ns == 0) {
            requireOpen();
            return;
        }
        Waiter w = register(null, ns);
        int state = w.park();
        if (state == Waiter.CLOSED) {
            throw new ClockClosedException();
        }
    }

    /// Waits until `cond` holds or `timeoutNs` of simulated time have passed.
    ///
    /// @param cond the condition; see the class doc for where and how often it is evaluated
    /// @param timeoutNs simulated ns, `>= 0`; `Long.MAX_VALUE` waits without deadline
    /// @return true if the condition held, false on timeout
    /// @throws IllegalStateException on the clock thread
    /// @throws ClockClosedException if the clock is or gets closed
    public boolean await(BooleanSupplier cond, long timeoutNs) {
        Objects.requireNonNull(cond, "cond");
        if (timeoutNs < 0) {
            throw new IllegalArgumentException("timeoutNs must be >= 0, got " + timeoutNs);
        }
        requireNotClockThread();
        requireOpen();
        if (cond.getAsBoolean()) {
            return true;
        }
        if (timeoutNs == 0) {
            return false;
        }
        Waiter w = register(cond, timeoutNs);
        return switch (w.park()) {
            case Waiter.SATISFIED -> true;
            case Waiter.TIMED_OUT -> cond.getAsBoolean();
            case Waiter.CLOSED -> throw new ClockClosedException();
            case Waiter.FAILED -> throw rethrow(w.failure);
            default -> throw new IllegalStateException("waiter released in state " + w.state());
        };
    }

    /// Asks the clock thread to re-evaluate every waiter's condition now. Call it after changing
    /// state a waiter's condition reads from a thread other than the clock thread. No-op after
    /// `close()`.
    public void kick() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            kickPending = true;
            generation++;
            changes++;
        } finally {
            lock.unlock();
        }
        wakeClockThread();
    }

    /// One step of a register poll (`read_poll_timeout`'s sleep): as [#sleep] of `stepNs`, but in
    /// FAST mode the caller is woken only at the first step boundary after a change since
    /// `seen` (a [#changeCount()] read before the poll's read), or the first past `untilNs`;
    /// [ClockClosedException] if the clock is or gets closed.
    public void sleepPoll(long stepNs, long untilNs, long seen) {
        PollSleep.sleep(this, stepNs, untilNs, seen);
    }

    /// What [#sleepPoll] counts as changes so far ([PollSleep]); read it before a poll's read.
    public long changeCount() {
        return changes;
    }

    /// QEMU qtest's `clock_step NS`: lets `ns` of simulated time pass, running every event due in
    /// it. The same as [#sleep], named for a thread that drives the machine.
    ///
    /// @param ns simulated ns, `>= 0`
    public void advance(long ns) {
        sleep(ns);
    }

    /// Registers the calling thread as a participant (see the class doc), nesting if it already
    /// is one.
    ///
    /// @return the registration; close it when the thread stops taking part
    /// @throws ClockClosedException if the clock is closed
    /// @throws IllegalStateException on the clock thread
    public Participant participate() {
        return participate(Thread.currentThread());
    }

    /// Registers `owner` as a participant, for a thread about to be started whose first work
    /// may be handed to it before it could register itself (an IRQ thread). A not yet started
    /// thread counts as running.
    ///
    /// @param owner the participating thread, not ended, not the clock thread
    /// @return the registration; close it when the thread stops taking part
    /// @throws ClockClosedException if the clock is closed
    public Participant participate(Thread owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner == thread) {
            throw new IllegalStateException("the clock thread cannot participate: it is the clock");
        }
        if (owner.getState() == Thread.State.TERMINATED) {
            throw new IllegalArgumentException("thread " + owner.getName() + " already ended");
        }
        lock.lock();
        try {
            requireOpenLocked();
            return new ParticipantHandle(this, participants.join(owner));
        } finally {
            lock.unlock();
        }
    }

    /// Runs `body` with the calling thread registered as a participant, closing the
    /// registration however `body` ends.
    ///
    /// @param body the participating work
    /// @throws ClockClosedException if the clock is closed when called
    public void participating(Runnable body) {
        Objects.requireNonNull(body, "body");
        try (Participant _ = participate()) {
            body.run();
        }
    }

    /// Charges `ns` (`>= 0`) of simulated CPU time to the calling thread (a syscall's cost): a
    /// participant sleeps the charges off once they reach [#PARTICIPANT_QUANTUM_NS], so one that
    /// only issues syscalls still lets time pass (FAST time stands still while a participant
    /// runs). A non-participant's charges are dropped; a no-op on the clock thread and once closed.
    /// Allocation-free after the first call on a thread; the clock's lock once per quantum.
    public void chargeParticipant(long ns) {
        if (!onClockThread()) {
            charges.charge(ns);
        }
    }

    /// @return the number of threads currently registered as participants
    public int participants() {
        lock.lock();
        try {
            return participants.size();
        } finally {
            lock.unlock();
        }
    }

    /// @return true if the caller is this clock's thread (it is running an event action)
    public boolean onClockThread() {
        return Thread.currentThread() == thread;
    }

    /// @return the number of events waiting in the queue
    public int pendingEvents() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /// @param sink receives every failure of an event action on the clock thread, or null for none
    public void setFailureSink(Consumer<Throwable> sink) {
        this.failureSink = sink;
    }

    /// @return a snapshot of the exceptions that escaped event actions, oldest first
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /// Registers a clock domain, or returns the one already registered under that name.
    ///
    /// @param name unique domain name
    /// @param hz frequency, `> 0`
    /// @return the domain
    /// @throws IllegalArgumentException if `name` is registered with another frequency
    public ClockDomain domain(String name, long hz) {
        ClockDomain d = new ClockDomain(name, hz);
        ClockDomain prev = domains.putIfAbsent(name, d);
        if (prev != null && !prev.equals(d)) {
            throw new IllegalArgumentException("clock domain " + name + " already registered at "
                    + prev.hz() + " Hz, not " + hz + " Hz");
        }
        return prev != null ? prev : d;
    }

    /// Stops the clock thread (after the action it is running, if any), drops pending events and
    /// releases every waiter with [ClockClosedException].
    ///
    /// @throws IllegalStateException on a second call
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("SimClock already closed");
            }
            closed = true;
            generation++;
            queue.clear();
            waiters.closeAll();
        } finally {
            lock.unlock();
        }
        if (!onClockThread()) {
            LockSupport.unpark(thread);
            joinClockThread();
        }
    }

    // ---- package-private hooks for Event ----

    boolean cancel(Event e) {
        lock.lock();
        try {
            boolean removed = queue.remove(e);
            if (removed) {
                e.action = null;
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    boolean isPending(Event e) {
        lock.lock();
        try {
            return e.index >= 0;
        } finally {
            lock.unlock();
        }
    }

    // ---- package-private hooks for ParticipantHandle ----

    void leave(Participation p) {
        lock.lock();
        try {
            participants.leave(p);
            noteChangeLocked();
        } finally {
            lock.unlock();
        }
        wakeClockThread(); // a held-back timeout may jump now
    }

    /// Something a poll may read may have changed: pollers look again ([PollSleep]).
    void noteChangeLocked() {
        changes++;
        kickPending |= pollers > 0;
    }

    void participantWentIdle() {
        lock.lock();
        try {
            noteChangeLocked();
        } finally {
            lock.unlock();
        }
        wakeClockThread(); // no generation bump: going idle must not restart the idle grace
    }

    // ---- package-private hooks for ClockLoop (the clock thread) ----

    long nowPlain() {
        return (long) NOW.get(this); // only the clock thread writes now
    }

    void recordFailure(Throwable failure) {
        failures.add(failure);
        Consumer<Throwable> sink = failureSink;
        if (sink != null) {
            try {
                sink.accept(failure);
            } catch (Throwable sinkFailure) {
                failure.addSuppressed(sinkFailure);
            }
        }
    }

    void publishNow(long t) {
        // ORDERING: release, pairs with the acquire in nowNs().
        NOW.setRelease(this, Math.max(t, (long) NOW.get(this)));
    }

    // ---- callers' side ----

    private Timer enqueue(long time, Runnable action, boolean relative) {
        Objects.requireNonNull(action, "action");
        Event e;
        lock.lock();
        try {
            requireOpenLocked();
            long base = nowNs();
            long when = relative ? saturatingAdd(base, time) : Math.max(time, (long) NOW.get(this));
            e = new Event(this, when, nextSeq++, action);
            queue.add(e);
            generation++;
        } finally {
            lock.unlock();
        }
        wakeClockThread();
        return e;
    }

    Waiter register(BooleanSupplier cond, long timeoutNs) {
        Waiter w;
        lock.lock();
        try {
            requireOpenLocked();
            Thread me = Thread.currentThread();
            Participation p = participants.of(me);
            if (p != null) {
                p.state = Participation.CLOCK_WAIT; // idle from here: the clock sees the waiter
            }
            w = new Waiter(me, saturatingAdd(nowNs(), timeoutNs), cond, p);
            waiters.add(w);
            generation++;
            if (cond instanceof PollSleep.Changed) {
                pollers++; // a poller's own wait changes nothing
            } else {
                changes++;
            }
            if (cond != null || pollers > 0) {
                kickPending = true; // evaluate it once on the clock thread: closes the race with
                                    // an event that made it true before the waiter was listed
            }
        } finally {
            lock.unlock();
        }
        wakeClockThread();
        return w;
    }

    private void wakeClockThread() {
        if (!onClockThread()) {
            LockSupport.unpark(thread);
        }
    }

    private void requireNotClockThread() {
        if (onClockThread()) {
            throw new IllegalStateException(
                    "sleeping in atomic context: sleep/await/advance called from an event on the clock thread");
        }
    }

    private void requireOpen() {
        lock.lock();
        try {
            requireOpenLocked();
        } finally {
            lock.unlock();
        }
    }

    private void requireOpenLocked() {
        if (closed) {
            throw new ClockClosedException();
        }
    }

    private void joinClockThread() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    long wallElapsed() {
        return System.nanoTime() - wallOrigin;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r; // both operands are >= 0
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new UndeclaredThrowableException(t);
    }
}
