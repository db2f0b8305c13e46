package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.proc.Process;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// Many groups at once, as the unbind injector's load runs them but denser: [#FILES] processes,
/// each with its own file, VM and one-queue group, submit copy jobs concurrently from threads
/// that take part in simulated time. There are more VMs than user address spaces (7) and more
/// groups than CSG slots (8), so groups wait for slots, idle groups are evicted from them and
/// address spaces change hands while other groups run. Every out-fence must signal without an
/// error within [#JOB_WAIT_NS] of simulated time (the injector's bound) and every copy must land
/// in its own VM's buffer.
class TyrConcurrentGroupsTest {
    private static final int FILES = 10;
    private static final int ROUNDS = 6;
    private static final long JOB_WAIT_NS = 1_000_000_000L;
    private static final int COPY_BYTES = 4 << 10;

    private record Load(Process proc, PanthorClient client, GpuJobs jobs) {
    }

    @Test
    void shouldSignalEveryFenceAndLandEveryCopyWithMoreGroupsThanSlotsAndMoreVmsThanAddressSpaces()
            throws Exception {
        try (TyrRig rig = TyrRig.bootCsf()) {
            rig.reg();
            SimClock clock = rig.machine.kernel().clock();
            List<Load> loads = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                Process p = rig.machine.kernel().spawn("load" + i, false);
                PanthorClient c = PanthorClient.open(p, TyrUser.RENDER);
                loads.add(new Load(p, c, GpuJobs.create(c)));
            }
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(FILES);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < FILES; i++) {
                Load l = loads.get(i);
                int id = i;
                threads.add(Thread.ofPlatform().name("tyr-load-" + i).start(() -> clock.participating(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                        for (int r = 0; r < ROUNDS; r++) {
                            String bad = round(clock, l, id, r);
                            if (bad != null) {
                                failures.add("file " + id + " round " + r + ": " + bad);
                                return;
                            }
                        }
                    } catch (Exception | AssertionError e) {
                        failures.add("file " + id + ": " + e);
                    }
                })));
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!t.isAlive(), t.getName() + " hung");
            }
            assertTrue(failures.isEmpty(), () -> failures + "\n" + rig.log);
            for (Load l : loads) {
                l.jobs.close();
                l.client.close();
                l.proc.close();
            }
            assertEquals(0, rig.machine.kernel().oopses().count(), rig.log::toString);
        }
    }

    /// One copy of a fresh pattern SRC -> DST in `l`'s VM; null when it landed, else what failed.
    private static String round(SimClock clock, Load l, int id, int r) throws KernelException {
        GpuJobs j = l.jobs;
        long seed = (long) id << 32 | r;
        for (long i = 0; i < COPY_BYTES / 8; i++) {
            j.cpu.putLong(GpuJobs.SRC + 8 * i, pattern(seed, i));
        }
        j.cpu.fill(GpuJobs.DST, COPY_BYTES, (byte) 0);
        int s = l.client.syncobjCreate();
        l.client.groupSubmit(j.group, List.of(j.job(0, KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC,
                GpuJobs.VA + GpuJobs.DST, COPY_BYTES), false, List.of(SyncOp.signal(s)))));
        try {
            l.client.syncobjWait(s, clock.nowNs() + JOB_WAIT_NS);
        } catch (DrmErrnoException e) {
            return "out-fence not signalled within " + JOB_WAIT_NS / 1_000_000 + " ms simulated: " + e.errno();
        }
        int err = fenceError(l, s);
        l.client.syncobjDestroy(s);
        if (err != 0) {
            return "out-fence signalled with error " + err;
        }
        for (long i = 0; i < COPY_BYTES / 8; i++) {
            long got = j.cpu.getLong(GpuJobs.DST + 8 * i);
            if (got != pattern(seed, i)) {
                return String.format("word %d is 0x%x, expected 0x%x", i, got, pattern(seed, i));
            }
        }
        return null;
    }

    private static int fenceError(Load l, int handle) {
        KFile f = l.proc.fget(l.client.drm().fd());
        try {
            return f.privateData(DrmFile.class).syncobjFind(handle).fence().error();
        } finally {
            f.put();
        }
    }

    private static long pattern(long seed, long i) {
        return (seed * 0x9E37_79B9_7F4A_7C15L) ^ (i * 0xBF58_476D_1CE4_E5B9L) ^ i;
    }
}
