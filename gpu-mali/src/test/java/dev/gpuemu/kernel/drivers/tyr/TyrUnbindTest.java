package dev.gpuemu.kernel.drivers.tyr;

import static dev.gpuemu.kernel.drivers.tyr.TyrUser.errnoOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.DrmErrnoException;
import dev.gpuemu.user.panthor.CsBuilder;
import dev.gpuemu.user.panthor.KernelDesc;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/// The "unbind with jobs in flight": a job blocked forever on a `SYNC_WAIT`, another
/// queued behind it, a user thread waiting on the first job's syncobj; then the driver is
/// unbound through sysfs. The scheduler stops first, both out-fences are signalled with
/// `-ECANCELED`, the waiter wakes, unbind ends in bounded simulated time, the open file answers
/// `ENODEV`, close works and nothing oopses; after a rebind a job runs again.
class TyrUnbindTest {
    private static final long FLAG = 0x50000;

    /// Queue 0 of `j`'s group: a job blocked forever in `SYNC_WAIT32` (*(FLAG) > 0 never
    /// holds), signalling `blocked`, then a copy SRC -> DST behind it, signalling `queued`.
    private static void submitBlockedThenCopy(GpuJobs j, int blocked, int queued) {
        j.writeSource();
        CsBuilder wait = new CsBuilder().move48(10, GpuJobs.VA + FLAG).move32(20, 0)
                .syncWait32(CsBuilder.COND_GREATER, 10, 20);
        j.client.groupSubmit(j.group, List.of(j.stream(0, 0, wait, List.of(SyncOp.signal(blocked))),
                j.job(1, KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC, GpuJobs.VA + GpuJobs.DST, GpuJobs.DATA_BYTES),
                        false, List.of(SyncOp.signal(queued)))));
    }

    @Test
    void shouldUnbindWithJobsInFlightInBoundedSimulatedTime() throws Exception {
        TyrUser u = TyrUser.openCsf();
        GpuJobs j = GpuJobs.create(u.client);
        int blocked = u.client.syncobjCreate();
        int queued = u.client.syncobjCreate();
        submitBlockedThenCopy(j, blocked, queued);
        var clock = u.rig.machine.kernel().clock();
        clock.advance(1_000_000L);
        assertFalse(GpuJobs.fence(u, blocked).isSignaled());
        // The unbinding thread is the only one waiting: simulated time moves only for its waits.
        long t0 = clock.nowNs();
        assertEquals(0, u.rig.machine.kernel().sysfs().unbind("platform", "tyr", TyrDriverTest.DEV));
        long took = clock.nowNs() - t0;
        assertTrue(took < 500_000_000L, "unbind took " + took + " ns simulated");
        assertEquals(-Errno.ECANCELED.code(), GpuJobs.fence(u, blocked).error());
        assertEquals(-Errno.ECANCELED.code(), GpuJobs.fence(u, queued).error());
        j.close();
        u.close();
        assertTrue(u.rig.machine.report().clean(), u.rig.machine.report().toString());
    }

    @Test
    void shouldCancelInFlightJobsWakeTheWaiterAndRunAgainAfterRebind() throws Exception {
        TyrUser u = TyrUser.openCsf();
        PanthorClient c = u.client;
        GpuJobs j = GpuJobs.create(c);
        int blocked = c.syncobjCreate();
        int queued = c.syncobjCreate();
        submitBlockedThenCopy(j, blocked, queued);

        DrmClient waiterFd = c.drm().dup(); // the same open file, its own argument memory
        AtomicInteger waitResult = new AtomicInteger(Integer.MIN_VALUE);
        Thread waiter = Thread.ofPlatform().name("syncobj waiter").start(() -> {
            try {
                waiterFd.syncobjWait(new int[] {blocked}, Long.MAX_VALUE,
                        DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT);
                waitResult.set(0);
            } catch (DrmErrnoException e) {
                waitResult.set(e.errno().negative());
            }
        });
        u.rig.machine.kernel().clock().advance(1_000_000L); // 1 ms simulated: the job is well into its wait
        // The waiter must be inside SYNCOBJ_WAIT (parked on the clock) before the unbind, or it
        // would enter after the unplug and rightly get ENODEV.
        long until = System.nanoTime() + 10_000_000_000L;
        while (waiter.getState() != Thread.State.WAITING && waiter.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        DmaFence fBlocked = GpuJobs.fence(u, blocked);
        DmaFence fQueued = GpuJobs.fence(u, queued);
        assertFalse(fBlocked.isSignaled(), "the first job blocks");
        assertFalse(fQueued.isSignaled(), "the second waits behind it");
        assertTrue(waiter.isAlive(), "the waiter waits");

        // No bound on simulated time here: in FAST mode the waiting thread lets time run ahead
        // through the periodic events while unbind runs (see the test below for the bound).
        assertEquals(0, u.rig.machine.kernel().sysfs().unbind("platform", "tyr", TyrDriverTest.DEV));
        assertTrue(u.rig.reg().scheduler().isStopped());
        assertEquals(-Errno.ECANCELED.code(), fBlocked.error(), "in flight: cancelled");
        assertEquals(-Errno.ECANCELED.code(), fQueued.error(), "queued: cancelled");
        waiter.join(10_000);
        assertFalse(waiter.isAlive(), "the waiter woke");
        assertEquals(0, waitResult.get(), "SYNCOBJ_WAIT answers 0 for a fence signalled with an error");
        for (long off = 0; off < GpuJobs.DATA_BYTES; off += 8) {
            assertEquals(0L, j.cpu.getLong(GpuJobs.DST + off), "the cancelled copy wrote nothing");
        }

        assertEquals(Errno.ENODEV, errnoOf(() -> c.groupGetState(j.group)));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.groupSubmit(j.group, List.of(j.stream(2, 0, new CsBuilder().nop(),
                List.of())))));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.groupDestroy(j.group)));
        assertEquals(Errno.ENODEV, errnoOf(() -> c.vmCreate(0)));
        j.close();
        waiterFd.close();
        c.close(); // postclose: the group pool and the VMs go, after the scheduler freed the groups
        assertEquals(0, u.rig.machine.kernel().oopses().count(), u.rig.log::toString);

        // Health check: bind again and run a job from a new open.
        assertEquals(0, u.rig.machine.kernel().sysfs().bind("platform", "tyr", TyrDriverTest.DEV));
        TyrData again = u.rig.data.get();
        assertNotNull(again);
        assertFalse(again.registrationData().scheduler().isStopped());
        try (PanthorClient c2 = PanthorClient.open(u.proc, again.drm().renderNode());
                GpuJobs j2 = GpuJobs.create(c2)) {
            j2.writeSource();
            int done = c2.syncobjCreate();
            c2.groupSubmit(j2.group, List.of(j2.job(0, KernelDesc.copy(GpuJobs.VA + GpuJobs.SRC,
                    GpuJobs.VA + GpuJobs.DST, GpuJobs.DATA_BYTES), false, List.of(SyncOp.signal(done)))));
            c2.syncobjWait(done, Long.MAX_VALUE);
            assertEquals(-1, j2.firstMismatch(GpuJobs.DST), "the rebound driver runs jobs");
        }
        u.proc.close();
        u.rig.close();
        assertEquals(0, u.rig.machine.kernel().oopses().count(), u.rig.log::toString);
        assertTrue(u.rig.machine.report().clean(), u.rig.machine.report().toString());
    }
}
