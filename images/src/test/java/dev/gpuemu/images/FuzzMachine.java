package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// A shipped image booted once per JVM for the fuzz targets, with one unprivileged process that
/// has the image's render node open and a fixed scratch mapping at [#SCRATCH_VA] (so inputs can
/// hold pointers into it and stay meaningful from run to run).
///
/// After every input the harness checks what a crash is besides an escaping exception: an oops,
/// a clock failure (an exception on the clock thread), an ioctl result that is neither 0 nor a
/// negative errno userspace may see. Every [#REOPEN_EVERY] inputs the process exits (closing the
/// node and every fd the inputs created, e.g. PRIME exports) and, once the GPU settled, the live
/// allocations must be those before the process existed: a leak after close. [#closeAll] shuts
/// the machines down and fails on a leak at shutdown.
///
/// ## Thread safety
/// Confined to the fuzzing thread (Jazzer runs inputs one at a time).
///
/// ## Lifecycle
/// [#get] boots on first use; [#closeAll] closes every machine once per JVM (from `@AfterAll`).
final class FuzzMachine {
    /// Where the scratch mapping lives in every fuzz process.
    static final long SCRATCH_VA = 0x1000_0000L;
    /// Bytes of the scratch mapping.
    static final int SCRATCH_BYTES = 16 * Fcntl.PAGE_SIZE;
    /// Inputs between two process restarts (with the leak check).
    static final int REOPEN_EVERY = 64;
    /// Simulated time one settle after a process exit may take before the pages count as leaked.
    private static final long SETTLE_NS = 5_000_000_000L;

    private static final Map<String, FuzzMachine> MACHINES = new HashMap<>();

    final String image;
    final Machine machine;
    final String node;
    private final List<String> baseline;
    private Process proc;
    private int fd;
    private int inputs;

    private FuzzMachine(String image, String node) throws KernelException {
        this.image = image;
        this.node = node;
        this.machine = BuiltinImages.find(image).orElseThrow().builder().build();
        machine.boot();
        this.baseline = live();
        spawn();
    }

    /// The machine of `image` with its process on `node`, booted on first use.
    static synchronized FuzzMachine get(String image, String node) {
        return MACHINES.computeIfAbsent(image, i -> {
            try {
                return new FuzzMachine(i, node);
            } catch (KernelException e) {
                throw new AssertionError("boot of " + i + " failed", e);
            }
        });
    }

    /// Closes every machine booted in this JVM; fails on an oops, a clock failure or a page leak.
    static synchronized void closeAll() {
        for (FuzzMachine m : MACHINES.values()) {
            m.proc.close();
            m.machine.close();
            assertTrue(m.machine.report().clean(), m.image + ": " + m.machine.report());
        }
        MACHINES.clear();
    }

    private void spawn() {
        proc = machine.kernel().spawn("fuzz", false);
        fd = proc.open(node, Fcntl.O_RDWR);
        assertTrue(fd >= 0, "open " + node + ": " + fd);
        long va = proc.mmap(SCRATCH_VA, SCRATCH_BYTES, Fcntl.PROT_READ | Fcntl.PROT_WRITE,
                Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS | Fcntl.MAP_FIXED, -1, 0);
        assertEquals(SCRATCH_VA, va, "scratch mmap");
    }

    Process process() {
        return proc;
    }

    int fd() {
        return fd;
    }

    /// Checks an ioctl's result: 0 or a negative errno a syscall may return.
    void checkResult(int cmd, int ret) {
        if (ret == 0) {
            return;
        }
        Errno e = ret < 0 ? Errno.ofCode(-ret) : null;
        if (e == null || e == Errno.EPROBE_DEFER) {
            fail(String.format("ioctl 0x%08x returned %d", cmd, ret));
        }
    }

    /// Checks the machine after one input; every [#REOPEN_EVERY] inputs restarts the process and
    /// checks that closing it freed everything.
    void afterInput() {
        checkHealthy();
        if (++inputs % REOPEN_EVERY == 0) {
            restart();
        }
    }

    /// Ends the process, waits (in simulated time) for the pool to drain back to the boot level,
    /// spawns a fresh one.
    void restart() {
        proc.close();
        if (!machine.clock().await(() -> live().equals(baseline), SETTLE_NS)) {
            List<String> extra = new ArrayList<>(live());
            extra.removeAll(baseline);
            fail(image + ": still allocated after the process exited: " + extra);
        }
        checkHealthy();
        spawn();
    }

    /// The live allocations and pins, without the Mali MCU's page-table pages: like io-pgtable,
    /// the MCU VM keeps a table page once a kernel mapping (a group's queues) needed it.
    private List<String> live() {
        return machine.kernel().hw().memory().leaks().stream().filter(l -> !l.contains(" mcu pgtable: ")).toList();
    }

    private void checkHealthy() {
        long oopses = machine.kernel().oopses().count();
        if (oopses != 0) {
            fail(image + ": oops " + machine.kernel().oopses().reports());
        }
        List<Throwable> failures = machine.clock().failures();
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(image + ": clock failure " + failures.getFirst());
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
