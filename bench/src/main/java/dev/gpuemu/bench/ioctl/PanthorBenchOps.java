package dev.gpuemu.bench.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.panthor.PanthorBo;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorGroup;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.panthor.CsBuilder;
import dev.gpuemu.user.panthor.PanthorClient;
import dev.gpuemu.user.panthor.PanthorInfo.Bo;
import dev.gpuemu.user.panthor.PanthorInfo.GpuInfo;
import dev.gpuemu.user.panthor.PanthorOps.BindOp;
import dev.gpuemu.user.panthor.PanthorOps.GroupSpec;
import dev.gpuemu.user.panthor.PanthorOps.QueueSpec;
import java.util.List;
import java.util.Optional;

/// panthor (the tyr driver): BOs from `PANTHOR_BO_CREATE`, offsets from `PANTHOR_BO_MMAP_OFFSET`,
/// and `submit` as a tiny job: `PANTHOR_GROUP_SUBMIT` of a one-NOP stream on the thread's own
/// compute group, signalling a syncobj, then `SYNCOBJ_WAIT` for it. The job runs on the GPU model
/// in simulated time, so threads run as `SimClock` participants.
///
/// Setup per thread (through [PanthorClient], on a `dup` of the thread's fd, so the objects
/// belong to the same open file): a VM, a 4 KiB BO bound at [#STREAM_VA] holding the NOP, a
/// one-queue group, an out-syncobj.
///
/// ## Thread safety
/// Stateless.
public final class PanthorBenchOps implements DriverOps {
    /// GPU VA of the stream BO.
    static final long STREAM_VA = 0x100_0000L;
    static final int BO_BYTES = 4096;
    static final int RING_BYTES = 16 << 10;
    static final long BO_CREATE_HANDLE = PanthorBo.Create.LAYOUT.byteOffset(groupElement("handle"));
    static final long CLOSE_HANDLE = DrmGem.Close.LAYOUT.byteOffset(groupElement("handle"));

    @Override
    public String driverName() {
        return "panthor";
    }

    @Override
    public boolean usesSimTime() {
        return true;
    }

    @Override
    public Optional<String> unsupported(IoctlKind kind) {
        return Optional.empty();
    }

    @Override
    public ThreadOps open(BenchFile file) {
        return new Ops(file);
    }

    private static final class Ops extends CoreThreadOps {
        private final DrmClient drm;
        private final PanthorClient client;
        private final int vm;
        private final Bo bo;
        private final int group;
        private final int outSync;
        private final long boCreate;
        private final long gemClose;
        private final long mmapOffset;
        private final long submit;
        private final long waitOut;

        Ops(BenchFile file) {
            super(file);
            int dup = proc.dup(fd);
            if (dup < 0) {
                throw new IllegalStateException("panthor bench setup: dup failed: " + dup);
            }
            drm = DrmClient.wrap(proc, dup);
            client = PanthorClient.of(drm);
            GpuInfo info = client.gpuInfo();
            vm = client.vmCreate(0).id();
            bo = client.boCreate(BO_BYTES, 0, 0);
            client.vmBind(vm, 0, List.of(BindOp.map(bo.handle(), 0, STREAM_VA, bo.size(), 0)));
            CsBuilder nop = new CsBuilder().nop();
            try (UserMapping cpu = client.mmapBo(bo)) {
                nop.writeTo(cpu, 0);
            }
            group = client.groupCreate(GroupSpec.compute(vm, PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM,
                    info.shaderPresent(), info.tilerPresent(), List.of(new QueueSpec(0, RING_BYTES))));
            outSync = client.syncobjCreate();

            boCreate = args.put(PanthorBo.Create.LAYOUT, s -> PanthorBo.Create.SIZE.set(s, (long) BO_BYTES));
            gemClose = args.put(DrmGem.Close.LAYOUT, s -> { });
            mmapOffset = args.put(PanthorBo.MmapOffset.LAYOUT, s -> PanthorBo.MmapOffset.HANDLE.set(s, bo.handle()));
            long syncOp = args.put(PanthorDrm.SyncOp.LAYOUT, s -> {
                PanthorDrm.SyncOp.FLAGS.set(s, PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL
                        | PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_SYNCOBJ);
                PanthorDrm.SyncOp.HANDLE.set(s, outSync);
            });
            long queueSubmit = args.put(PanthorGroup.QueueSubmit.LAYOUT, s -> {
                PanthorGroup.QueueSubmit.STREAM_ADDR.set(s, STREAM_VA);
                PanthorGroup.QueueSubmit.STREAM_SIZE.set(s, nop.sizeBytes());
                PanthorGroup.QueueSubmit.SYNCS_STRIDE.set(s, (int) PanthorDrm.SyncOp.LAYOUT.byteSize());
                PanthorGroup.QueueSubmit.SYNCS_COUNT.set(s, 1);
                PanthorGroup.QueueSubmit.SYNCS_ARRAY.set(s, syncOp);
            });
            submit = args.put(PanthorGroup.Submit.LAYOUT, s -> {
                PanthorGroup.Submit.GROUP_HANDLE.set(s, group);
                PanthorGroup.Submit.QUEUE_SUBMITS_STRIDE.set(s, (int) PanthorGroup.QueueSubmit.LAYOUT.byteSize());
                PanthorGroup.Submit.QUEUE_SUBMITS_COUNT.set(s, 1);
                PanthorGroup.Submit.QUEUE_SUBMITS_ARRAY.set(s, queueSubmit);
            });
            long outHandle = args.slot(8);
            mem.putInt(outHandle, outSync);
            waitOut = args.put(DrmSyncobj.Wait.LAYOUT, s -> {
                DrmSyncobj.Wait.HANDLES.set(s, outHandle);
                DrmSyncobj.Wait.COUNT_HANDLES.set(s, 1);
                DrmSyncobj.Wait.TIMEOUT_NSEC.set(s, NO_DEADLINE);
            });
        }

        @Override
        BenchOp driverOp(IoctlKind kind) {
            return switch (kind) {
                case GEM_CREATE_CLOSE -> this::createClose;
                case MMAP_OFFSET -> this::mmapOffset;
                case SUBMIT -> this::submitWait;
                default -> throw new IllegalArgumentException("panthor has no op " + kind.mixName());
            };
        }

        int createClose() {
            int r = proc.ioctl(fd, PanthorDrm.BO_CREATE, boCreate);
            if (r != 0) {
                return r;
            }
            mem.putInt(gemClose + CLOSE_HANDLE, mem.getInt(boCreate + BO_CREATE_HANDLE));
            return proc.ioctl(fd, DrmIoctls.GEM_CLOSE, gemClose);
        }

        int mmapOffset() {
            return proc.ioctl(fd, PanthorDrm.BO_MMAP_OFFSET, mmapOffset);
        }

        /// GROUP_SUBMIT of the NOP job, then the wait for its out-fence.
        int submitWait() {
            int r = proc.ioctl(fd, PanthorDrm.GROUP_SUBMIT, submit);
            if (r != 0) {
                return r;
            }
            return proc.ioctl(fd, DrmIoctls.SYNCOBJ_WAIT, waitOut);
        }

        @Override
        void closeDriver() {
            client.syncobjDestroy(outSync);
            client.groupDestroy(group);
            client.vmDestroy(vm);
            drm.gemClose(bo.handle());
            client.close();
            drm.close();
        }
    }
}
