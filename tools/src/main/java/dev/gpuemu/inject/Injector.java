package dev.gpuemu.inject;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.board.PageLeakException;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.faux.FauxDevice;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.machine.time.SimClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/// Unbind injection under load on one booted machine: resolves the [Target], takes the leak
/// baseline, starts the [LoadThread]s, runs the cycles ([Cycles]), stops the load, checks leaks
/// after every file closed, shuts the machine down and returns the [InjectResult].
///
/// Every operation on the device (unbind, bind, remove, rescan, health check) runs on a
/// `gpuemu-inject-sysfs` worker thread, a simulated-time participant, and is awaited with the
/// spec's real-time bound: one that does not return in time is a violation of invariant 4 and
/// ends the run (the stuck thread is abandoned).
///
/// ## Lifecycle
/// [#run] once per machine; it closes the machine.
public final class Injector {
    private final Machine machine;
    private final Kernel kernel;
    private final SimClock clock;
    private final InjectSpec spec;
    private final String imageName;
    final Checker checker = new Checker();
    final SplittableRandom rng;
    Target target;
    private ExecutorService sysfs;
    private boolean hung;
    private long lastOops;

    private Injector(Machine machine, String imageName, InjectSpec spec) {
        this.machine = machine;
        this.kernel = machine.kernel();
        this.clock = kernel.clock();
        this.spec = spec;
        this.imageName = imageName;
        this.rng = new SplittableRandom(spec.seed());
    }

    /// Runs the injection on `machine` (booted) and closes it.
    ///
    /// @throws InjectInputException when the device is unknown or the mode does not fit it (the
    ///         machine is closed first)
    public static InjectResult run(Machine machine, String imageName, InjectSpec spec) {
        return new Injector(machine, imageName, spec).run();
    }

    private InjectResult run() {
        long wall0 = System.nanoTime();
        FauxDevice planted;
        try {
            planted = plant();
            target = resolve();
        } catch (InjectInputException e) {
            closeQuietly();
            throw e;
        }
        DrmCore drm = DrmCore.of(kernel);
        drm.setHandlerProbe(checker);
        sysfs = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().name("gpuemu-inject-sysfs").daemon()
                .unstarted(() -> clock.participating(r)));
        Cycles cycles = new Cycles(this, spec.mode());
        int done = 0;
        List<LoadThread> loads = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        LeakSnapshot base;
        try {
            checker.setStep(0);
            health();
            base = LeakSnapshot.take(target);
            for (int i = 0; i < spec.threads(); i++) {
                LoadThread l = new LoadThread(target, checker, rng.nextLong(), i);
                loads.add(l);
                threads.add(Thread.ofPlatform().name("gpuemu-inject-load-" + i).daemon().start(l));
            }
            for (int c = 1; c <= spec.cycles() && !hung; c++) {
                checker.setStep(c);
                cycles.pace(loads);
                cycles.cycle();
                checkOops();
                done = c;
            }
        } finally {
            loads.forEach(LoadThread::stop);
            for (Thread t : threads) {
                join(t, hung ? 1 : 30);
            }
            cycles.close();
        }
        checker.setStep(spec.cycles() + 1L);
        drm.setHandlerProbe(null);
        if (hung) {
            // A thread is stuck in the kernel (holding locks): shutting the machine down would
            // hang too. The machine is abandoned; its threads are daemons.
            sysfs.shutdownNow();
            checkOops();
            return new InjectResult(imageName, target.device, spec.mode(), spec.seed(), done, checker,
                    kernel.oopses().count(), 0, cycles.counts(), System.nanoTime() - wall0);
        }
        long leaks = base.compare(LeakSnapshot.take(target), checker);
        sysfs.shutdownNow();
        if (planted != null) {
            planted.close();
        }
        MachineReport report = close();
        long machineLeaks = report.leaks().size() + report.leakedPages();
        if (machineLeaks > 0) {
            checker.violation(6, "at shutdown: " + report.leakedPages() + " page(s) leaked, " + report.leaks());
        }
        if (report.oopses() > lastOops) {
            checker.violation(3, (report.oopses() - lastOops) + " oops(es) at teardown: "
                    + last(report.oopsMessages()));
        }
        for (String f : report.clockFailures()) {
            checker.violation(3, "emulator failure: " + f);
        }
        return new InjectResult(imageName, target.device, spec.mode(), spec.seed(), done, checker, report.oopses(),
                leaks + machineLeaks, cycles.counts(), System.nanoTime() - wall0);
    }

    private FauxDevice plant() {
        String d = spec.device();
        if (!PlantedDriver.BUGGY.equals(d) && !PlantedDriver.FIXED.equals(d)) {
            return null;
        }
        try {
            return PlantedDriver.create(kernel, d);
        } catch (KernelException e) {
            throw new IllegalStateException("planting " + d + " failed", e);
        }
    }

    private Target resolve() {
        Optional<Target> t;
        if (spec.device() == null) {
            t = Target.all(kernel).stream().findFirst();
            if (t.isEmpty()) {
                throw new InjectInputException("image " + imageName + " has no DRM device the injector can drive");
            }
        } else {
            t = Target.find(kernel, spec.device());
            if (t.isEmpty()) {
                List<String> known = new ArrayList<>(Target.all(kernel).stream().map(x -> x.device).toList());
                known.add(PlantedDriver.BUGGY);
                known.add(PlantedDriver.FIXED);
                throw new InjectInputException("no bound DRM device '" + spec.device() + "' on image " + imageName
                        + " (devices: " + String.join(", ", known) + ")");
            }
        }
        if (spec.mode() == InjectMode.REMOVE && !t.get().supportsRemove()) {
            throw new InjectInputException("--mode remove needs a PCI device; " + t.get().device + " is on the "
                    + t.get().bus + " bus, which has no remove (IGT skips unplug-rescan there too)");
        }
        return t.get();
    }

    // ---- operations for Cycles ----

    SimClock clock() {
        return clock;
    }

    Kernel kernel() {
        return kernel;
    }

    /// Runs `op` on a sysfs worker within the hang bound: its result, or [Integer#MIN_VALUE] when
    /// it hung (violation 4, the run ends) or threw (violation 3).
    int timed(String what, IntSupplier op) {
        Future<Integer> f = sysfs.submit(op::getAsInt);
        return await(what, f);
    }

    /// Submits `op` to a sysfs worker without waiting.
    Future<Integer> start(IntSupplier op) {
        return sysfs.submit(op::getAsInt);
    }

    int await(String what, Future<Integer> f) {
        try {
            return f.get(spec.hangBoundNs(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            hung = true;
            checker.violation(4, what + " did not complete within " + spec.hangBoundNs() / 1_000_000 + " ms");
        } catch (ExecutionException e) {
            checker.violation(3, what + " threw " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hung = true;
        }
        return Integer.MIN_VALUE;
    }

    /// An unplugging operation: epochs around it, latency (host ns + simulated ns) recorded when
    /// it succeeded.
    int unplug(String what, IntSupplier op) {
        long[] took = new long[1];
        checker.unplugBegins();
        int rc;
        try {
            rc = timed(what, () -> {
                long w = System.nanoTime();
                long s = clock.nowNs();
                int r = op.getAsInt();
                took[0] = System.nanoTime() - w + clock.nowNs() - s;
                return r;
            });
        } finally {
            checker.unplugEnded();
        }
        if (rc == 0) {
            checker.recordUnplug(took[0]);
        } else if (rc != Integer.MIN_VALUE) {
            checker.violation(4, what + " of " + target.device + " failed: " + Target.errno(rc));
        }
        return rc;
    }

    /// Binds the device again (unless it is bound), and for nova its DRM child; a failure breaks
    /// invariant 8.
    void rebind() {
        if (target.isReady()) {
            return;
        }
        int rc = timed("bind", target::bindAll);
        if (rc != 0 && rc != Integer.MIN_VALUE) {
            checker.violation(8, "rebind of " + target.device + " failed: " + Target.errno(rc));
        }
    }

    /// The health check (invariant 8), when the device is bound.
    void health() {
        if (!target.isReady()) {
            checker.violation(8, target.device + (target.isBound() ? "'s DRM device" : "") + " is not bound after the cycle");
            return;
        }
        long seed = rng.nextLong();
        timed("health check", () -> {
            try {
                target.healthCheck(checker, seed);
                return 0;
            } catch (RuntimeException e) {
                checker.violation(8, "health check of " + target.device + " failed: " + e);
                return -1;
            }
        });
    }

    boolean hung() {
        return hung;
    }

    private void checkOops() {
        long o = kernel.oopses().count();
        if (o > lastOops) {
            checker.violation(3, (o - lastOops) + " oops(es): " + last(kernel.oopses().reports()));
            lastOops = o;
        }
    }

    private static String last(List<String> l) {
        return l.isEmpty() ? "(no message kept)" : l.get(l.size() - 1);
    }

    private static void join(Thread t, long seconds) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void park(long ns) {
        if (ns > 0) {
            LockSupport.parkNanos(ns);
        }
    }

    private MachineReport close() {
        try {
            machine.close();
        } catch (PageLeakException e) {
            return e.report();
        }
        return machine.report();
    }

    private void closeQuietly() {
        try {
            machine.close();
        } catch (RuntimeException e) {
            // an input error is what the caller reports
        }
    }
}
