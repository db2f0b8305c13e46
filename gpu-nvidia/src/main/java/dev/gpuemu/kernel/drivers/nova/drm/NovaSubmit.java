package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.dmabuf.DmaFence;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.drm.gem.ShmemVmap;
import dev.gpuemu.kernel.drm.syncobj.Syncobj;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/// `DRM_IOCTL_NOVA_GPUEMU_SUBMIT`.
///
/// Checks, in order (the first failure answers): `flags != 0` → `EINVAL`; `dwords` 0 or above
/// `NOVA_GPUEMU_SUBMIT_MAX_DWORDS`, `offset` not 4-aligned, or a count above
/// `NOVA_GPUEMU_SUBMIT_MAX_SYNCS` → `EINVAL`; unknown channel → `ENOENT`; unknown pushbuffer
/// handle → `ENOENT`; a VRAM pushbuffer or a range beyond the object → `EINVAL`; a handle array
/// that faults → `EFAULT`; an unknown syncobj → `ENOENT`; a wait syncobj without a fence →
/// `EINVAL`; the pushbuffer fails [PushbufferChecker] → `EINVAL`; a faulted channel → `EIO`.
///
/// Then: the pushbuffer is copied into a kernel-owned shadow object (userspace cannot change what
/// was checked), the in-fences are awaited (10 s simulated at most: `ETIMEDOUT`; unbind meanwhile:
/// `ENODEV`), the shadow is mapped read-only in the VM's kernel shadow range and queued on the
/// channel, and the job's fence replaces the fence of every signal syncobj. Nothing is queued
/// when any step fails.
///
/// ## Thread safety
/// Stateless; the channel serialises submits.
final class NovaSubmit {
    /// Longest wait for in-fences (simulated).
    static final long WAIT_NS = 10_000_000_000L;

    private NovaSubmit() {
    }

    static int submit(NovaRegistration data, MemorySegment arg, DrmFile<NovaFile> file, Task task)
            throws KernelException {
        int flags = (int) NovaGpuemu.Submit.FLAGS.get(arg);
        int dwords = (int) NovaGpuemu.Submit.DWORDS.get(arg);
        long offset = (long) NovaGpuemu.Submit.OFFSET.get(arg);
        int waitCount = (int) NovaGpuemu.Submit.WAIT_COUNT.get(arg);
        int signalCount = (int) NovaGpuemu.Submit.SIGNAL_COUNT.get(arg);
        if (flags != 0) {
            throw new KernelException(Errno.EINVAL, "submit flags 0x" + Integer.toHexString(flags));
        }
        if (dwords <= 0 || dwords > NovaGpuemu.NOVA_GPUEMU_SUBMIT_MAX_DWORDS || (offset & 3) != 0) {
            throw new KernelException(Errno.EINVAL, "pushbuffer length or alignment");
        }
        if (Integer.compareUnsigned(waitCount, NovaGpuemu.NOVA_GPUEMU_SUBMIT_MAX_SYNCS) > 0
                || Integer.compareUnsigned(signalCount, NovaGpuemu.NOVA_GPUEMU_SUBMIT_MAX_SYNCS) > 0) {
            throw new KernelException(Errno.EINVAL, "too many syncobjs");
        }
        NovaUserChannel ch = file.driverFile().channel((int) NovaGpuemu.Submit.CHANNEL.get(arg));
        if (ch == null) {
            throw new KernelException(Errno.ENOENT, "no channel " + NovaGpuemu.Submit.CHANNEL.get(arg));
        }
        GemObject obj = file.gem().lookup((int) NovaGpuemu.Submit.HANDLE.get(arg));
        if (obj == null) {
            throw new KernelException(Errno.ENOENT, "no pushbuffer object " + NovaGpuemu.Submit.HANDLE.get(arg));
        }
        NovaBo shadow;
        List<DmaFence> waits = new ArrayList<>();
        List<Syncobj> signals = new ArrayList<>();
        try {
            if (!(obj instanceof NovaBo pb)) {
                throw new KernelException(Errno.EINVAL, "pushbuffer must be a system-memory object");
            }
            long bytes = 4L * dwords;
            if (Long.compareUnsigned(offset, pb.size()) >= 0 || bytes > pb.size() - offset) {
                throw new KernelException(Errno.EINVAL, "pushbuffer range beyond the object");
            }
            syncobjs(task, file, (long) NovaGpuemu.Submit.WAITS.get(arg), waitCount, true, waits, null);
            syncobjs(task, file, (long) NovaGpuemu.Submit.SIGNALS.get(arg), signalCount, false, null, signals);
            shadow = copyAndCheck(pb, offset, dwords);
        } finally {
            obj.put();
        }
        try {
            if (ch.state() == dev.gpuemu.kernel.drivers.nova.core.NovaChannel.State.FAULTED) {
                throw new KernelException(Errno.EIO, "channel faulted");
            }
            for (DmaFence f : waits) {
                if (!f.isSignaled()) {
                    data.clock().await(() -> f.isSignaled() || data.isStopping(), WAIT_NS);
                    if (data.isStopping()) {
                        throw new KernelException(Errno.ENODEV, "device unbinding");
                    }
                    if (!f.isSignaled()) {
                        throw new KernelException(Errno.ETIMEDOUT, "in-fence " + f + " did not signal");
                    }
                }
            }
            DmaFence out = ch.submit(shadow, dwords);
            for (Syncobj s : signals) {
                s.replaceFence(out);
            }
        } finally {
            shadow.unpin(); // copyAndCheck's pin: the job's mapping holds its own now
            shadow.put(); // the job's mapping holds it now (or nothing does)
        }
        return 0;
    }

    private static void syncobjs(Task task, DrmFile<NovaFile> file, long array, int count, boolean wait,
                                 List<DmaFence> fences, List<Syncobj> objs) throws KernelException {
        if (count == 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handles = arena.allocate(4L * count);
            if (!task.copyFromUser(handles, 0, array, 4L * count)) {
                throw KernelException.of(Errno.EFAULT);
            }
            for (int i = 0; i < count; i++) {
                int h = handles.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i);
                Syncobj s = file.syncobjFind(h);
                if (s == null) {
                    throw new KernelException(Errno.ENOENT, "no syncobj " + h);
                }
                if (wait) {
                    DmaFence f = s.fence();
                    if (f == null) {
                        throw new KernelException(Errno.EINVAL, "wait syncobj " + h + " has no fence");
                    }
                    fences.add(f);
                } else {
                    objs.add(s);
                }
            }
        }
    }

    /// Copies `dwords` from `pb` at `offset` into a new kernel-owned object and checks the copy.
    /// The shadow comes back pinned (the caller unpins it once the job's mapping holds its own
    /// pin), so its pages are not given back, and their content kept aside, between the copy
    /// and the mapping.
    private static NovaBo copyAndCheck(NovaBo pb, long offset, int dwords) throws KernelException {
        long bytes = 4L * dwords;
        NovaBo shadow = new NovaBo(pb.device(), NovaGemIoctls.pageAlign(bytes));
        boolean pinned = false;
        try {
            shadow.pin();
            pinned = true;
            ShmemVmap src = pb.vmap();
            try {
                ShmemVmap dst = shadow.vmap();
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buf = arena.allocate(bytes);
                    src.copyTo(offset, buf);
                    dst.copyFrom(0, buf);
                    PushbufferChecker.check(i -> buf.get(ValueLayout.JAVA_INT_UNALIGNED, 4L * i), dwords);
                } finally {
                    shadow.vunmap();
                }
            } finally {
                pb.vunmap();
            }
        } catch (KernelException | RuntimeException e) {
            if (pinned) {
                shadow.unpin();
            }
            shadow.put();
            throw e;
        }
        return shadow;
    }
}
