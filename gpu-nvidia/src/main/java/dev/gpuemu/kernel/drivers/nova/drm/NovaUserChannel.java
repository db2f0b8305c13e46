package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drivers.nova.core.NovaChannel;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.time.SimClock;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

/// A file's channel (`GPUEMU_CHANNEL_CREATE`): nova-core's [NovaChannel] on the file's
/// [NovaUserVm], and its jobs. Each submit is one job: a checked shadow copy of the pushbuffer
/// mapped read-only in the VM's shadow range, nova-core's sequence number and a [DmaFence].
///
/// The channel's [NovaChannel.SeqnoListener] signals the fences in order: error 0 → signalled,
/// `EIO` (channel fault) / `ECANCELED` (destroy, unbind) → `dma_fence_set_error(-errno)` then
/// signalled. Finished jobs' shadows are unmapped later on a kernel thread ([#retire]), since the
/// listener must not block.
///
/// ## Invariants
/// Jobs are queued before their sequence number can complete (submits are serialised and the job
/// is queued under the expected number first); every job's fence is signalled exactly once.
///
/// ## Thread safety
/// Submits and release synchronise on this object; the listener only touches lock-free queues.
///
/// ## Lifecycle
/// created → released once (channel closed: pending fences `-ECANCELED`) by `CHANNEL_DESTROY`,
/// file close or unbind.
final class NovaUserChannel {
    record Job(long seqno, DmaFence fence, NovaBo shadow, long shadowVa) {
    }

    private final NovaUserVm vm;
    private final NovaRegistration reg;
    private final SimClock clock;
    private final String timeline;
    private final ConcurrentLinkedQueue<Job> pending = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Job> done = new ConcurrentLinkedQueue<>();
    private NovaChannel channel;
    private volatile DmaFence lastFence;
    private boolean released;

    private NovaUserChannel(NovaUserVm vm, NovaRegistration reg, String timeline) {
        this.vm = vm;
        this.reg = reg;
        this.clock = reg.clock();
        this.timeline = timeline;
    }

    /// Creates the hardware channel on `vm` (`EBUSY` when none is free).
    static NovaUserChannel create(NovaRegistration reg, NovaUserVm vm) throws KernelException {
        vm.addChannel();
        NovaUserChannel c = new NovaUserChannel(vm, reg, "nova");
        try {
            c.channel = reg.aux().createChannel(vm.vm(), c::signalled);
        } catch (KernelException | RuntimeException e) {
            vm.removeChannel();
            throw e;
        }
        reg.track(c);
        return c;
    }

    NovaUserVm vm() {
        return vm;
    }

    int hwId() {
        return channel.id();
    }

    /// The listener: completes jobs up to `seqno` in order.
    private void signalled(long seqno, int error) {
        Job j;
        while ((j = pending.peek()) != null && j.seqno() <= seqno) {
            pending.poll();
            if (j.seqno() == seqno && error != 0) {
                j.fence().setError(-error);
            }
            j.fence().signal();
            done.add(j);
        }
    }

    /// Queues a checked shadow: maps it, submits it, returns the job's fence.
    synchronized DmaFence submit(NovaBo shadow, int dwords) throws KernelException {
        live();
        retire();
        if (channel.state() == NovaChannel.State.FAULTED) {
            throw new KernelException(Errno.EIO, "channel faulted");
        }
        long va = vm.mapShadow(shadow);
        long expected = channel.submittedSeqno() + 1;
        Job job = new Job(expected, new DmaFence(clock, timeline + "-ch" + channel.id(), expected), shadow, va);
        pending.add(job);
        long seqno;
        try {
            seqno = channel.submit(va, dwords);
        } catch (KernelException | RuntimeException e) {
            pending.remove(job);
            vm.unmapShadow(va, shadow);
            throw e;
        }
        if (seqno != expected) {
            throw new IllegalStateException("nova-core seqno " + seqno + ", expected " + expected);
        }
        lastFence = job.fence();
        return job.fence();
    }

    /// Unmaps the shadows of finished jobs.
    synchronized void retire() {
        Job j;
        while ((j = done.poll()) != null) {
            vm.unmapShadow(j.shadowVa(), j.shadow());
        }
    }

    synchronized NovaChannel.State state() throws KernelException {
        live();
        return channel.state();
    }

    synchronized Optional<NovaChannel.Fault> fault() throws KernelException {
        live();
        return channel.fault();
    }

    /// The fence of the last job queued, or null (for tests and reports).
    DmaFence lastFence() {
        return lastFence;
    }

    /// Number of jobs not yet finished.
    int pendingJobs() {
        return pending.size();
    }

    synchronized boolean isReleased() {
        return released;
    }

    /// Closes the channel: pending jobs finish with `-ECANCELED` (nova-core's listener), shadows
    /// are unmapped. Once; later calls do nothing.
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        reg.forget(this);
        channel.close();
        // Belt and braces: a job nova-core did not report (it must have) still gets its fence.
        Job j;
        while ((j = pending.poll()) != null) {
            j.fence().setError(Errno.ECANCELED.negative());
            j.fence().signal();
            done.add(j);
        }
        retire();
        vm.removeChannel();
    }

    private void live() throws KernelException {
        if (released) {
            throw new KernelException(Errno.ENODEV, "channel released");
        }
    }
}
