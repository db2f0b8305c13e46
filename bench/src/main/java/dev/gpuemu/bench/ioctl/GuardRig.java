package dev.gpuemu.bench.ioctl;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.GuardStrategy;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.user.drm.DrmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

/// One booted machine whose DRM core runs one [GuardStrategy], with the node under test and its
/// driver's [DriverOps]; runs phases on it.
///
/// ## Thread safety
/// Driven by one coordinating thread; each phase starts and joins its own workers.
///
/// ## Lifecycle
/// [#boot] → [#run]s → [#close] once (machine shut down; its report kept in [#report]).
final class GuardRig implements AutoCloseable {
    final GuardStrategy guard;
    final Machine machine;
    final String node;
    final String driver;
    final DriverOps ops;
    private MachineReport report;
    private boolean closed;

    private GuardRig(GuardStrategy guard, Machine machine, String node, String driver) {
        this.guard = guard;
        this.machine = machine;
        this.node = node;
        this.driver = driver;
        this.ops = DriverOpsRegistry.forDriver(driver);
    }

    /// Builds a machine whose DRM core gets the guard configuration before any module initialises
    /// (so before any DRM device exists), boots it and identifies the driver of `node` by
    /// `DRM_IOCTL_VERSION`.
    ///
    /// @throws IoctlBench.NoSuchNodeException when the image has no DRM node `node` (the machine is closed)
    static GuardRig boot(GuardStrategy guard, boolean guardCoreIoctls, Supplier<Machine.Builder> image, String node)
            throws KernelException {
        Machine m = image.get().kernelSetup(k -> {
            DrmCore core = DrmCore.of(k);
            core.setGuardStrategy(guard);
            core.setGuardCoreIoctls(guardCoreIoctls);
        }).build();
        try {
            m.boot();
            List<String> nodes = m.kernel().devfs().list("/dev/dri");
            if (!nodes.contains(node)) {
                throw new IoctlBench.NoSuchNodeException("no DRM node " + node + " on this image (nodes: "
                        + (nodes.isEmpty() ? "none" : String.join(", ", nodes)) + ")");
            }
            Syscalls probe = m.kernel().spawn("ioctl-bench-probe", false);
            String driver;
            try (DrmClient c = DrmClient.open(probe, node)) {
                driver = c.version().name();
            } finally {
                probe.close();
            }
            return new GuardRig(guard, m, node, driver);
        } catch (KernelException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /// Runs `kind` on `threads` threads (each its own process and file, or one shared file).
    PhaseResult run(IoctlKind kind, int threads, boolean sharedFile, PhasePlan plan) {
        var why = ops.unsupported(kind);
        if (why.isPresent()) {
            return PhaseResult.unsupported(threads, kind, why.get());
        }
        List<BenchFile> files = new ArrayList<>();
        List<ThreadOps> threadOps = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                if (i == 0 || !sharedFile) {
                    files.add(BenchFile.open(machine.kernel().spawn("ioctl-bench-" + i, false), true, node));
                }
                threadOps.add(ops.open(files.getLast()));
            }
            BenchOp first = threadOps.getFirst().op(kind);
            for (int i = 0; i < 2; i++) {
                int r = first.call();
                if (r != 0) {
                    return PhaseResult.unsupported(threads, kind, "self-check failed: " + kind.mixName() + " answered "
                            + Errno.ofCode(-r) + " (" + r + ")");
                }
            }
            return measure(kind, threadOps, plan);
        } finally {
            threadOps.forEach(ThreadOps::close);
            files.forEach(BenchFile::close);
        }
    }

    /// Times `kind` on one thread and file with [BatchTiming] (the syscall floor's method); empty
    /// when the driver does not support the kind.
    java.util.Optional<BatchTiming> batch(IoctlKind kind, long calls, int rounds) {
        if (ops.unsupported(kind).isPresent()) {
            return java.util.Optional.empty();
        }
        BenchFile file = BenchFile.open(machine.kernel().spawn("ioctl-bench-batch", false), true, node);
        ThreadOps threadOps = ops.open(file);
        try {
            return java.util.Optional.of(BatchTiming.measure(threadOps.op(kind), calls, rounds,
                    ops.usesSimTime() ? machine.clock() : null));
        } finally {
            threadOps.close();
            file.close();
        }
    }

    private PhaseResult measure(IoctlKind kind, List<ThreadOps> threadOps, PhasePlan plan) {
        int n = threadOps.size();
        CyclicBarrier start = new CyclicBarrier(n);
        List<BenchWorker> workers = new ArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BenchWorker w = new BenchWorker(threadOps.get(i).op(kind), plan, start,
                    ops.usesSimTime() ? machine.clock() : null);
            workers.add(w);
            Thread t = Thread.ofPlatform().name("ioctl-bench-" + guard.name().toLowerCase() + "-" + i).unstarted(w);
            started.add(t);
        }
        started.forEach(Thread::start);
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining bench threads", e);
            }
        }
        long ops = 0;
        long alloc = 0;
        long cpu = 0;
        long errors = 0;
        int firstError = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        var merged = new org.HdrHistogram.Histogram(1, BenchWorker.MAX_LATENCY_NS, 3);
        for (BenchWorker w : workers) {
            if (w.failure != null) {
                throw new IllegalStateException("bench thread failed in " + kind.mixName(), w.failure);
            }
            ops += w.ops;
            alloc += w.allocBytes;
            cpu += w.cpuNs;
            errors += w.errors;
            if (firstError == 0) {
                firstError = w.firstError;
            }
            from = Math.min(from, w.startNs);
            to = Math.max(to, w.endNs);
            merged.add(w.latency);
        }
        return new PhaseResult(n, kind, ops, Math.max(1, to - from), merged, alloc, cpu, errors, firstError, null);
    }

    /// The closed machine's report (leaks, oopses, emulator failures).
    MachineReport report() {
        return report;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("guard rig already closed");
        }
        closed = true;
        try {
            machine.close();
        } finally {
            report = machine.report();
        }
    }
}
