package dev.gpuemu.kernel.drivers.tyr.sched;

import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/// A fake task with 64 KiB of "user memory" at [#BASE] (anything else faults), a settable
/// capability, and builders of panthor argument structs in that memory.
final class UserMem implements Task, AutoCloseable {
    static final long BASE = 0x4000_0000L;
    final Arena arena = Arena.ofConfined();
    final MemorySegment mem = arena.allocate(64 << 10, 8);
    boolean capable;
    private long next = 0;

    @Override
    public void close() {
        arena.close();
    }

    @Override
    public int pid() {
        return 42;
    }

    @Override
    public boolean capable(int cap) {
        return capable;
    }

    @Override
    public boolean copyFromUser(MemorySegment dst, long dstOffset, long va, long length) {
        if (va < BASE || va - BASE > mem.byteSize() - length) {
            return false;
        }
        MemorySegment.copy(mem, va - BASE, dst, dstOffset, length);
        return true;
    }

    @Override
    public boolean copyToUser(long va, MemorySegment src, long srcOffset, long length) {
        if (va < BASE || va - BASE > mem.byteSize() - length) {
            return false;
        }
        MemorySegment.copy(src, srcOffset, mem, va - BASE, length);
        return true;
    }

    @Override
    public int installFd(KFile file, int flags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public KFile fget(int fd) {
        return null;
    }

    /// Bytes in user memory; returns their user VA.
    long alloc(long bytes) {
        long va = BASE + next;
        next += (bytes + 63) & -64;
        return va;
    }

    MemorySegment at(long va, long bytes) {
        return mem.asSlice(va - BASE, bytes);
    }

    /// A `drm_panthor_group_create` (kernel copy) with `queues` = (priority, ring size) pairs.
    MemorySegment groupCreate(int vmId, int priority, int[]... queues) {
        long qsize = PanthorGroup.QueueCreate.LAYOUT.byteSize();
        long array = alloc(qsize * queues.length);
        for (int i = 0; i < queues.length; i++) {
            MemorySegment q = at(array + i * qsize, qsize);
            PanthorGroup.QueueCreate.PRIORITY.set(q, (byte) queues[i][0]);
            PanthorGroup.QueueCreate.RINGBUF_SIZE.set(q, queues[i][1]);
        }
        MemorySegment a = arena.allocate(PanthorGroup.Create.LAYOUT);
        PanthorGroup.Create.QUEUES_STRIDE.set(a, (int) qsize);
        PanthorGroup.Create.QUEUES_COUNT.set(a, queues.length);
        PanthorGroup.Create.QUEUES_ARRAY.set(a, array);
        PanthorGroup.Create.PRIORITY.set(a, (byte) priority);
        PanthorGroup.Create.MAX_COMPUTE_CORES.set(a, (byte) 1);
        PanthorGroup.Create.COMPUTE_CORE_MASK.set(a, 1L);
        PanthorGroup.Create.VM_ID.set(a, vmId);
        return a;
    }

    /// A sync op: (flags, handle).
    record Op(int flags, int handle) {
        static Op signal(int h) {
            return new Op(PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL, h);
        }

        static Op await(int h) {
            return new Op(PanthorDrm.DRM_PANTHOR_SYNC_OP_WAIT, h);
        }
    }

    /// One queue submit.
    record Job(int queue, long addr, int size, List<Op> ops) {
    }

    /// A `drm_panthor_group_submit` (kernel copy).
    MemorySegment groupSubmit(int handle, Job... jobs) {
        long jsize = PanthorGroup.QueueSubmit.LAYOUT.byteSize();
        long osize = PanthorDrm.SyncOp.LAYOUT.byteSize();
        long array = alloc(jsize * jobs.length);
        for (int i = 0; i < jobs.length; i++) {
            MemorySegment j = at(array + i * jsize, jsize);
            PanthorGroup.QueueSubmit.QUEUE_INDEX.set(j, jobs[i].queue());
            PanthorGroup.QueueSubmit.STREAM_ADDR.set(j, jobs[i].addr());
            PanthorGroup.QueueSubmit.STREAM_SIZE.set(j, jobs[i].size());
            long ops = alloc(osize * Math.max(1, jobs[i].ops().size()));
            for (int k = 0; k < jobs[i].ops().size(); k++) {
                MemorySegment o = at(ops + k * osize, osize);
                PanthorDrm.SyncOp.FLAGS.set(o, jobs[i].ops().get(k).flags());
                PanthorDrm.SyncOp.HANDLE.set(o, jobs[i].ops().get(k).handle());
            }
            PanthorGroup.QueueSubmit.SYNCS_STRIDE.set(j, (int) osize);
            PanthorGroup.QueueSubmit.SYNCS_COUNT.set(j, jobs[i].ops().size());
            PanthorGroup.QueueSubmit.SYNCS_ARRAY.set(j, ops);
        }
        MemorySegment a = arena.allocate(PanthorGroup.Submit.LAYOUT);
        PanthorGroup.Submit.GROUP_HANDLE.set(a, handle);
        PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(a, (int) jsize);
        PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(a, jobs.length);
        PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.set(a, array);
        return a;
    }
}
