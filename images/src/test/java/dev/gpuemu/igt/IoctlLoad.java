package dev.gpuemu.igt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.machine.time.ClockClosedException;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/// The load of the -with-load variants, started on the exercised fd before the unbind or unplug:
/// the driver's spinner (a job in flight), a waiter blocked on the spinner's syncobj, and an ioctl
/// loop (`VERSION`, a GEM create and close, a syncobj create and destroy), each thread on its own
/// `dup` of the fd and a [SimClock] participant. IGT skips these variants except on i915/Xe; here
/// the load is real for every driver.
///
/// What it checks: every ioctl answers success or `ENODEV`, and `ENODEV` only once the unplug has
/// begun; the loop keeps running across the unplug and sees `ENODEV` afterwards; the spinner's
/// out-fence is signalled with an error; the waiter returns (`0` for a fence signalled in error,
/// or `ENODEV` if it entered after the unplug), it never hangs.
///
/// ## Thread safety
/// [#start], [#unplugBegins], [#finish] and [#abort] from the test thread; the counters are
/// atomics read by it.
///
/// ## Lifecycle
/// [#start] → [#unplugBegins] → (unbind/unplug) → [#finish], or [#abort] on any path, once.
final class IoctlLoad {
    /// Simulated time between two rounds of the loop (the loop waits on the clock, so time runs).
    static final long PERIOD_NS = 1_000L;
    /// Rounds the loop runs before the unplug may begin.
    static final int WARMUP_ROUNDS = 8;
    private static final long REAL_BOUND_NS = TimeUnit.SECONDS.toNanos(60);

    private final Hotunplug h;
    private final SimClock clock;
    private final DrmClient loadFd;
    private final DriverWork.Load gem;
    private final Optional<DriverWork.Spinner> spinner;
    private final DrmClient waiterFd;
    private final Thread loop;
    private final Thread waiter;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong enodev = new AtomicLong();
    private final AtomicInteger waitResult = new AtomicInteger(Integer.MIN_VALUE);
    private final List<String> violations = new CopyOnWriteArrayList<>();
    /// The constructing thread's participation from before the spinner's submission until the
    /// loop thread takes part: without it, FAST time would run on while no participant runs
    /// (the loop thread not yet started) and could finish the spinner's jobs before the test
    /// looks.
    private final dev.gpuemu.machine.time.Participant setupHold;
    private final java.util.concurrent.CountDownLatch loopRunning = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stop;
    private volatile boolean unplugBegun;
    private boolean done;

    private IoctlLoad(Hotunplug h) {
        this.h = h;
        this.clock = h.kernel.clock();
        DrmClient drm = h.drm;
        setupHold = clock.participate();
        loadFd = drm.dup();
        gem = h.work.load(loadFd);
        spinner = h.work.spinner(drm, h.proc);
        waiterFd = spinner.isPresent() ? drm.dup() : null;
        loop = Thread.ofPlatform().name("igt load").unstarted(() -> clock.participating(this::runLoop));
        waiter = spinner.isPresent()
                ? Thread.ofPlatform().name("igt spinner waiter").unstarted(() -> clock.participating(this::runWaiter))
                : null;
    }

    /// Starts the load on `h.drm` and returns once the loop has run [#WARMUP_ROUNDS] rounds and
    /// the waiter (if any) is parked inside `SYNCOBJ_WAIT`.
    static IoctlLoad start(Hotunplug h) {
        IoctlLoad l = new IoctlLoad(h);
        h.load = l;
        l.loop.start();
        try {
            l.awaitReal("load thread running", () -> l.loopRunning.getCount() == 0 || !l.loop.isAlive());
        } finally {
            l.setupHold.close(); // the loop thread holds simulated time from here
        }
        if (l.waiter != null) {
            l.waiter.start();
        }
        l.awaitReal("load warm-up", () -> l.rounds.get() >= WARMUP_ROUNDS || !l.loop.isAlive());
        if (l.waiter != null) {
            l.awaitReal("waiter parked", () -> parked(l.waiter) || !l.waiter.isAlive());
        }
        assertEquals(List.of(), l.violations, "load before the unplug");
        l.spinner.ifPresent(s -> assertFalse(s.fence().isSignaled(), "the spinner is in flight"));
        return l;
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /// From here on `ENODEV` is a legal answer.
    void unplugBegins() {
        unplugBegun = true;
    }

    private void runLoop() {
        loopRunning.countDown(); // a participant already (clock.participating)
        while (!stop) {
            if (rounds.get() == WARMUP_ROUNDS) {
                holdTime();
            }
            call("VERSION", () -> loadFd.version());
            call("GEM create/close", gem::gemCycle);
            call("SYNCOBJ create/destroy", () -> loadFd.syncobjDestroy(loadFd.syncobjCreate(0)));
            rounds.incrementAndGet();
            try {
                clock.sleep(PERIOD_NS);
            } catch (ClockClosedException e) {
                violations.add("clock closed under the load");
                return;
            }
        }
    }

    /// Between the warm-up and the start of the unplug the loop stays running without waiting:
    /// a running participant holds simulated time still, so the spinner is still in flight when
    /// the unplug begins however slow the host is (no real-time race decides it).
    private void holdTime() {
        long until = System.nanoTime() + REAL_BOUND_NS;
        while (!unplugBegun && !stop && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    private void call(String what, Runnable op) {
        try {
            op.run();
            ok.incrementAndGet();
        } catch (DrmErrnoException e) {
            if (e.errno() != Errno.ENODEV) {
                violations.add(what + ": " + e.getMessage());
            } else if (!unplugBegun) {
                violations.add(what + ": ENODEV before the unplug began");
            } else {
                enodev.incrementAndGet();
            }
        } catch (RuntimeException e) {
            violations.add(what + ": " + e);
            stop = true;
        }
    }

    private void runWaiter() {
        int handle = spinner.orElseThrow().syncobj();
        try {
            waiterFd.syncobjWait(new int[] {handle}, Long.MAX_VALUE, DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
            waitResult.set(0);
        } catch (DrmErrnoException e) {
            waitResult.set(e.errno().negative());
        }
    }

    private void awaitReal(String what, BooleanSupplier cond) {
        long until = System.nanoTime() + REAL_BOUND_NS;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what + " within 60 s");
            LockSupport.parkNanos(100_000L);
        }
    }

    /// After the unbind or unplug: the loop has seen `ENODEV` and stops, the CPU ends the spinner
    /// through its mmap, its fence is signalled with an error, the waiter returns; then the
    /// load's clients and dups are closed (the exercised fd stays open for the subtest).
    void finish() {
        awaitReal("the load sees ENODEV", () -> enodev.get() > 0 || !loop.isAlive());
        stop = true;
        join(loop);
        assertEquals(List.of(), violations, "every ioctl answers success or ENODEV, ENODEV only after the unplug");
        assertTrue(ok.get() > 0 && enodev.get() > 0, "the load ran across the unplug: ok " + ok + ", ENODEV " + enodev);
        spinner.ifPresent(s -> {
            assertTrue(s.end(), "the spinner's BO still reads back through the mmap after the unplug");
            assertTrue(s.fence().isSignaled(), "the spinner's out-fence is signalled");
            assertNotEquals(0, s.fence().error(), "the spinner's out-fence carries an error: " + s.fence());
            join(waiter);
            int r = waitResult.get();
            assertTrue(r == 0 || r == Errno.ENODEV.negative(), "the waiter returns 0 or ENODEV, not " + r);
        });
        closeClients();
    }

    private void join(Thread t) {
        try {
            t.join(TimeUnit.NANOSECONDS.toMillis(REAL_BOUND_NS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted joining " + t.getName(), e);
        }
        assertFalse(t.isAlive(), t.getName() + " ends (no hang)");
    }

    /// Stops whatever runs (a failed or skipped subtest): ends the spinner, stops the loop, waits
    /// for the waiter, closes the load's clients.
    void abort() {
        if (done) {
            return;
        }
        stop = true;
        spinner.ifPresent(DriverWork.Spinner::end);
        join(loop);
        if (waiter != null) {
            spinner.ifPresent(s -> s.fence().await(TimeUnit.SECONDS.toNanos(10)));
            join(waiter);
        }
        closeClients();
    }

    private void closeClients() {
        if (done) {
            return;
        }
        done = true;
        gem.close();
        spinner.ifPresent(DriverWork.Spinner::close);
        Hotunplug.closeDevice(loadFd, "load dup");
        if (waiterFd != null) {
            Hotunplug.closeDevice(waiterFd, "waiter dup");
        }
    }

    @Override
    public String toString() {
        return "load: " + rounds + " rounds, ok " + ok + ", ENODEV " + enodev + ", violations " + violations;
    }
}
