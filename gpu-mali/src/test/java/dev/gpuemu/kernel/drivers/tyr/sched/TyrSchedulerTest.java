package dev.gpuemu.kernel.drivers.tyr.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.regs.mali.CsOpcode;
import dev.gpuemu.user.panthor.CsBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/// The scheduler against the real G610 (MMU + CSF) booted by tyr: jobs run from the kernel ring,
/// complete through the kernel sync object, fault with CS_FATAL, and unbind cancels.
class TyrSchedulerTest {
    static final long SECOND = 1_000_000_000L;
    private static final long FLAG = 0x8000;

    private static TyrGroup group(SchedHarness h, int queues) throws KernelException {
        List<TyrScheduler.QueueArgs> q = new ArrayList<>();
        for (int i = 0; i < queues; i++) {
            q.add(new TyrScheduler.QueueArgs(1, 4096));
        }
        return h.sched.createGroup(h.groupVm(), PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM, new int[] {1, 0, 0},
                new long[] {1, 0, 0}, q);
    }

    @Test
    void shouldReadSlotCountsFromTheFirmware() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            assertEquals(8, h.sched.csgSlotCount());
            assertEquals(8, h.sched.csPerCsg());
        }
    }

    @Test
    void shouldRunAUserStreamFromTheRingAndSignalItsFenceOnCompletion() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            TyrGroup g = group(h, 1);
            long s = h.storeStream(0, 0x1000, 0xCAFEF00D);
            DmaFence[] f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0)));
            assertTrue(f[0].await(SECOND), "job completed: " + h.log);
            assertEquals(0, f[0].error());
            assertEquals(0xCAFEF00D, h.user.read32(0x1000));
            assertEquals(0, g.csgSlot(), "bound to the first free CSG slot");
            TyrQueue q = g.queues().get(0);
            assertEquals(1, g.syncobjs.mem.read64(0), "the SYNC_ADD64 reached the kernel sync object");
            assertEquals(JobRing.SLOT_BYTES, q.insert);
            assertEquals(CsOpcode.CALL, CsOpcode.of(q.ring.mem.read64(5 * 8)), "the ring holds the job slot");
            assertTrue(h.vm.translate(q.ringVa()) >= 0, "ring mapped in the group's VM");
            assertTrue(h.data.registrationData().fw().vm().translate(q.ifaceVa()) >= 0, "pointer pages in the MCU VM");
            assertEquals(0, h.sched.jobsInFlight(g));
            h.sched.destroyGroup(g);
            assertEquals(-1, h.vm.translate(q.ringVa()), "ring unmapped at destroy");
            assertThrows(IllegalStateException.class, () -> h.sched.destroyGroup(g));
        }
    }

    @Test
    void shouldWrapTheRingAndCompleteEveryJobInOrder() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            TyrGroup g = group(h, 1);
            List<TyrScheduler.JobArgs> jobs = new ArrayList<>();
            for (int i = 0; i < 80; i++) { // 80 slots of 128 bytes: 2.5 times round a 4 KiB ring
                long s = h.storeStream(0x2000 + 64L * i, 0x1000 + 4L * i, 1000 + i);
                jobs.add(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0));
            }
            DmaFence[] f = h.sched.submit(g, jobs);
            assertTrue(f[79].await(SECOND), h.log.toString());
            long prev = -1;
            for (int i = 0; i < 80; i++) {
                assertTrue(f[i].isSignaled());
                assertEquals(0, f[i].error());
                assertTrue(f[i].timestampNs() >= prev, "fences signal in order");
                prev = f[i].timestampNs();
                assertEquals(1000 + i, h.user.read32(0x1000 + 4L * i));
            }
            assertEquals(80, g.syncobjs.mem.read64(0));
        }
    }

    @Test
    void shouldFaultTheQueueOnCsFatalSignalEinvalAndRefuseFurtherJobs() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            TyrGroup g = group(h, 2);
            long good = h.storeStream(0, 0x1000, 7);
            DmaFence[] ok = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, good, SchedHarness.instrBytes(3), 0)));
            assertTrue(ok[0].await(SECOND));
            long bad = h.stream(0x40, SchedHarness.invalid());
            DmaFence[] f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(1, bad, SchedHarness.instrBytes(1), 0)));
            assertTrue(f[0].await(30 * SECOND), h.log.toString());
            assertEquals(-Errno.EINVAL.code(), f[0].error(), "the faulting queue's job fails with -EINVAL (panthor)");
            assertEquals(0b10, g.fatalQueues());
            assertEquals(PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, g.stateFlags());
            assertFalse(g.canRun());
            assertTrue(h.eventually(() -> g.csgSlot() == -1), "the faulted group left its slot");
            assertTrue(h.eventually(() -> h.logged("CS_FATAL.EXCEPTION_TYPE: 0x")), h.log.toString());
            assertEquals(0, ok[0].error(), "the earlier job kept its success");
            KernelException e = assertThrows(KernelException.class, () -> h.sched.submit(g,
                    List.of(new TyrScheduler.JobArgs(0, good, SchedHarness.instrBytes(3), 0))));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    /// The inject stall: a thread holding the scheduler's lock while it is blocked outside the
    /// clock (here a latch; in the injector the device lock of an MMIO access) counts as idle, so
    /// FAST-mode time goes on. A job the GPU finishes meanwhile must still be signalled by the
    /// next poll or interrupt, not after the lock comes back (the poll used to `tryLock`, re-arm
    /// itself 1 ms later and so let time run to the waiter's timeout).
    @Test
    void shouldSignalAJobTheGpuFinishedWhileTheSchedulerLockIsHeldByABlockedThread() throws Exception {
        try (SchedHarness h = new SchedHarness()) {
            var clock = h.machine.kernel().clock();
            TyrGroup g = group(h, 1);
            long first = h.storeStream(0, 0x1000, 1);
            assertTrue(h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, first, SchedHarness.instrBytes(3), 0)))[0]
                    .await(SECOND), "the group is bound: " + h.log);
            // Blocked on FLAG > 0 until the test writes the flag, then stores 2 at 0x1004.
            long[] wait = new CsBuilder().move48(10, SchedHarness.USER_VA + FLAG).move32(20, 0)
                    .syncWait32(CsBuilder.COND_GREATER, 10, 20).toArray();
            long[] job = java.util.Arrays.copyOf(wait, wait.length + 3);
            job[wait.length] = SchedHarness.move48(2, SchedHarness.USER_VA + 0x1004);
            job[wait.length + 1] = SchedHarness.move32(0, 2);
            job[wait.length + 2] = SchedHarness.store(0, 2);
            long s = h.stream(0x40, job);
            DmaFence f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(job.length), 0)))[0];
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = Thread.ofPlatform().name("sched-lock-holder").start(() -> h.sched.whileLocked(() -> {
                locked.countDown();
                awaitQuietly(release);
            }));
            assertTrue(locked.await(10, TimeUnit.SECONDS));
            boolean signalled;
            long t0;
            try {
                assertFalse(f.isSignaled(), "blocked on the flag");
                t0 = clock.nowNs();
                h.user.write32(FLAG, 1); // the CSF re-reads blocked waits: the job finishes now
                signalled = f.await(SECOND);
            } finally {
                release.countDown();
                holder.join(10_000);
            }
            assertTrue(signalled, "a finished job waited for the scheduler's lock: " + h.log);
            assertEquals(0, f.error());
            assertEquals(2, h.user.read32(0x1004));
            long late = f.timestampNs() - t0;
            assertTrue(late < 10 * TyrScheduler.POLL_NS, "signalled " + late + " ns after the flag");
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldGiveAFreedSlotToAnotherGroupAndRunItsJobs() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            List<TyrGroup> gs = new ArrayList<>();
            for (int i = 0; i < 9; i++) { // one more group than CSG slots
                TyrGroup g = group(h, 1);
                gs.add(g);
                long s = h.storeStream(0x100L * i, 0x3000 + 4L * i, 50 + i);
                DmaFence[] f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0)));
                assertTrue(f[0].await(SECOND), "group " + i + ": " + h.log);
                assertEquals(50 + i, h.user.read32(0x3000 + 4L * i));
            }
            assertTrue(gs.get(8).csgSlot() >= 0, "the ninth group took an idle group's slot");
        }
    }

    @Test
    void shouldCancelPendingFencesWithEcanceledAtStopInBoundedTimeAndRefuseWork() throws KernelException {
        SchedHarness h = new SchedHarness();
        TyrGroup g = group(h, 1);
        // SYNC_WAIT32 until *(user + 0x800) > 0: never.
        long wait = (long) CsOpcode.SYNC_WAIT32.code() << 56 | 10L << 40 | 20L << 32 | 1L << 28;
        long s = h.stream(0, SchedHarness.move48(10, SchedHarness.USER_VA + 0x800), SchedHarness.move32(20, 0), wait);
        DmaFence[] f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0)));
        assertFalse(f[0].await(10_000_000L), "the job blocks");
        long t0 = h.machine.kernel().clock().nowNs();
        // The driver's unbind stops the scheduler first (TyrRegistration.close).
        assertEquals(0, h.machine.kernel().sysfs().unbind("platform", "tyr", SchedHarness.DEV));
        assertTrue(h.sched.isStopped());
        long took = h.machine.kernel().clock().nowNs() - t0;
        assertTrue(took < 500_000_000L, "stop took " + took + " ns simulated");
        assertTrue(f[0].isSignaled());
        assertEquals(-Errno.ECANCELED.code(), f[0].error());
        KernelException e = assertThrows(KernelException.class, () -> h.sched.submit(g,
                List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0))));
        assertEquals(Errno.ENODEV, e.errno());
        e = assertThrows(KernelException.class, () -> group(h, 1));
        assertEquals(Errno.ENODEV, e.errno());
        assertThrows(IllegalStateException.class, h.sched::stop);
        h.sched.destroyGroup(g); // postclose after unplug: bookkeeping only
        assertEquals(0, h.machine.kernel().oopses().count());
        h.close();
        assertTrue(h.machine.report().clean(), h.machine.report().toString());
    }

    @Test
    void shouldFaultEveryQueueOfAGroupWhoseVmTookAnMmuFault() throws KernelException {
        try (SchedHarness h = new SchedHarness()) {
            TyrGroup g = group(h, 2);
            long s = h.storeStream(0, 0x7000_0000L - SchedHarness.USER_VA, 1); // unmapped target
            DmaFence[] f = h.sched.submit(g, List.of(new TyrScheduler.JobArgs(0, s, SchedHarness.instrBytes(3), 0)));
            assertTrue(f[0].await(30 * SECOND), h.log.toString());
            assertTrue(f[0].error() < 0, "the job failed");
            for (int i = 0; i < 1000 && !h.vm.isUnusable(); i++) {
                h.machine.kernel().clock().advance(100_000L); // the mmu IRQ thread runs on its own
            }
            assertTrue(h.vm.isUnusable());
            assertTrue(h.eventually(() -> h.logged("Unhandled Page fault")), h.log.toString());
            KernelException sub = assertThrows(KernelException.class, () -> h.sched.submit(g,
                    List.of(new TyrScheduler.JobArgs(1, s, SchedHarness.instrBytes(3), 0))));
            assertEquals(Errno.EINVAL, sub.errno());
            assertEquals(0b11, g.fatalQueues(), "the unusable VM faults all queues");
            KernelException e = assertThrows(KernelException.class, () -> group(h, 1));
            assertEquals(Errno.EINVAL, e.errno(), "no new group on an unusable VM");
        }
    }
}
