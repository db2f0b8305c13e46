package dev.gpuemu.user.panthor;

import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.kernel.uapi.panthor.PanthorVm;
import dev.gpuemu.user.drm.UserScratch;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.QueueSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSubmit;
import dev.gpuemu.user.panthor.PanthorOps.SyncOp;
import java.lang.foreign.MemorySegment;
import java.util.List;

/// Lays obj_array elements out in a [UserScratch] data area: the top-level array first, then
/// the nested sync arrays each element points to. Each element is built in a host staging
/// segment with the uAPI `VarHandle`s and copied to user memory.
///
/// ## Thread safety
/// Not thread-safe: confined to its client's thread.
final class PanthorArrays {
    private static final long SYNC = PanthorDrm.SyncOp.LAYOUT.byteSize();
    private static final long BIND_OP = PanthorVm.BindOp.LAYOUT.byteSize();
    private static final long QUEUE = PanthorGroup.QueueCreate.LAYOUT.byteSize();
    private static final long SUBMIT = PanthorGroup.QueueSubmit.LAYOUT.byteSize();

    private final UserScratch args;
    /// Staging for one element (the largest is 48 bytes); `long[]`-backed, so aligned.
    private final MemorySegment elem = MemorySegment.ofArray(new long[8]);

    PanthorArrays(UserScratch args) {
        this.args = args;
    }

    /// The user address of the `drm_panthor_vm_bind_op` array for `ops`.
    long bindOps(List<BindOp> ops) {
        long syncCount = ops.stream().mapToLong(o -> o.syncs().size()).sum();
        long base = args.zeroedData(ops.size() * BIND_OP + syncCount * SYNC);
        long syncAt = base + ops.size() * BIND_OP;
        UserMemory mem = args.memory();
        for (int i = 0; i < ops.size(); i++) {
            BindOp op = ops.get(i);
            elem.fill((byte) 0);
            PanthorVm.BindOp.FLAGS.set(elem, op.flags());
            PanthorVm.BindOp.BO_HANDLE.set(elem, op.boHandle());
            PanthorVm.BindOp.BO_OFFSET.set(elem, op.boOffset());
            PanthorVm.BindOp.VA.set(elem, op.va());
            PanthorVm.BindOp.SIZE.set(elem, op.size());
            PanthorVm.BindOp.SYNCS_STRIDE.set(elem, (int) SYNC);
            PanthorVm.BindOp.SYNCS_COUNT.set(elem, op.syncs().size());
            PanthorVm.BindOp.SYNCS_ARRAY.set(elem, op.syncs().isEmpty() ? 0L : syncAt);
            mem.write(base + i * BIND_OP, elem, 0, BIND_OP);
            syncAt = syncs(mem, syncAt, op.syncs());
        }
        return base;
    }

    /// The user address of the `drm_panthor_queue_create` array for `queues`.
    long queues(List<QueueSpec> queues) {
        long base = args.zeroedData(queues.size() * QUEUE);
        UserMemory mem = args.memory();
        for (int i = 0; i < queues.size(); i++) {
            elem.fill((byte) 0);
            PanthorGroup.QueueCreate.PRIORITY.set(elem, (byte) queues.get(i).priority());
            PanthorGroup.QueueCreate.RINGBUF_SIZE.set(elem, queues.get(i).ringbufSize());
            mem.write(base + i * QUEUE, elem, 0, QUEUE);
        }
        return base;
    }

    /// The user address of the `drm_panthor_queue_submit` array for `submits`.
    long queueSubmits(List<QueueSubmit> submits) {
        long syncCount = submits.stream().mapToLong(s -> s.syncs().size()).sum();
        long base = args.zeroedData(submits.size() * SUBMIT + syncCount * SYNC);
        long syncAt = base + submits.size() * SUBMIT;
        UserMemory mem = args.memory();
        for (int i = 0; i < submits.size(); i++) {
            QueueSubmit s = submits.get(i);
            elem.fill((byte) 0);
            PanthorGroup.QueueSubmit.QUEUE_INDEX.set(elem, s.queueIndex());
            PanthorGroup.QueueSubmit.STREAM_SIZE.set(elem, s.streamSize());
            PanthorGroup.QueueSubmit.STREAM_ADDR.set(elem, s.streamAddr());
            PanthorGroup.QueueSubmit.LATEST_FLUSH.set(elem, s.latestFlush());
            PanthorGroup.QueueSubmit.SYNCS_STRIDE.set(elem, (int) SYNC);
            PanthorGroup.QueueSubmit.SYNCS_COUNT.set(elem, s.syncs().size());
            PanthorGroup.QueueSubmit.SYNCS_ARRAY.set(elem, s.syncs().isEmpty() ? 0L : syncAt);
            mem.write(base + i * SUBMIT, elem, 0, SUBMIT);
            syncAt = syncs(mem, syncAt, s.syncs());
        }
        return base;
    }

    private long syncs(UserMemory mem, long at, List<SyncOp> syncs) {
        for (SyncOp op : syncs) {
            elem.fill((byte) 0);
            PanthorDrm.SyncOp.FLAGS.set(elem, op.flags());
            PanthorDrm.SyncOp.HANDLE.set(elem, op.handle());
            PanthorDrm.SyncOp.TIMELINE_VALUE.set(elem, op.timelineValue());
            mem.write(at, elem, 0, SYNC);
            at += SYNC;
        }
        return at;
    }
}
