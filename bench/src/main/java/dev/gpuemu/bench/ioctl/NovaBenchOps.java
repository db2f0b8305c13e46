package dev.gpuemu.bench.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmSyncobj;
import dev.gpuemu.kernel.uapi.nova.NovaDrm;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.user.drm.DrmClient;
import dev.gpuemu.user.drm.UserMapping;
import dev.gpuemu.user.nova.NovaClient;
import dev.gpuemu.user.nova.NvPush;
import java.util.Optional;

/// nova (nova-drm on the GA102): objects from `NOVA_GPUEMU_GEM_CREATE` (system memory), offsets
/// from `NOVA_GPUEMU_GEM_MMAP_OFFSET`, and `submit` as a tiny job: `NOVA_GPUEMU_SUBMIT` of a
/// pushbuffer that copies 64 bytes and releases a semaphore on the copy engine, signalling a
/// syncobj, then `SYNCOBJ_WAIT` for it. The copy runs on the device model in simulated time, so
/// threads run as `SimClock` participants.
///
/// Setup per thread (through [NovaClient], on a `dup` of the thread's fd, so the objects belong
/// to the same open file): a VM, a 16 KiB object bound at [#BO_VA] (pushbuffer at 0, copy source
/// at 0x1000, destination at 0x2000, semaphore at 0x3000), a channel, an out-syncobj.
///
/// ## Thread safety
/// Stateless.
public final class NovaBenchOps implements DriverOps {
    /// GPU VA of the thread's object.
    static final long BO_VA = 0x100_0000L;
    static final int BO_BYTES = 16 << 10;
    static final int COPY_BYTES = 64;
    static final long CREATE_HANDLE = NovaGpuemu.GemCreate.LAYOUT.byteOffset(groupElement("handle"));
    static final long CLOSE_HANDLE = DrmGem.Close.LAYOUT.byteOffset(groupElement("handle"));

    @Override
    public String driverName() {
        return "nova";
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
        private final NovaClient client;
        private final int vm;
        private final NovaClient.Bo bo;
        private final int channel;
        private final int outSync;
        private final long create;
        private final long gemClose;
        private final long mmapOffset;
        private final long submit;
        private final long waitOut;

        Ops(BenchFile file) {
            super(file);
            int dup = proc.dup(fd);
            if (dup < 0) {
                throw new IllegalStateException("nova bench setup: dup failed: " + dup);
            }
            drm = DrmClient.wrap(proc, dup);
            client = NovaClient.of(drm);
            vm = client.vmCreate().id();
            bo = client.createSysmem(BO_BYTES);
            client.vmMap(vm, bo.handle(), 0, BO_VA, bo.size(), false);
            NvPush push = new NvPush().setObject().copy(BO_VA + 0x1000, BO_VA + 0x2000, COPY_BYTES, BO_VA + 0x3000, 1);
            int[] words = push.words();
            try (UserMapping cpu = client.mmap(bo)) {
                for (int i = 0; i < words.length; i++) {
                    cpu.putInt(4L * i, words[i]);
                }
            }
            channel = client.channelCreate(vm);
            outSync = client.syncobjCreate();

            create = args.put(NovaGpuemu.GemCreate.LAYOUT, s -> NovaGpuemu.GemCreate.SIZE.set(s, (long) BO_BYTES));
            gemClose = args.put(DrmGem.Close.LAYOUT, s -> { });
            mmapOffset = args.put(NovaGpuemu.GemMmapOffset.LAYOUT,
                    s -> NovaGpuemu.GemMmapOffset.HANDLE.set(s, bo.handle()));
            long outHandle = args.slot(8);
            mem.putInt(outHandle, outSync);
            submit = args.put(NovaGpuemu.Submit.LAYOUT, s -> {
                NovaGpuemu.Submit.CHANNEL.set(s, channel);
                NovaGpuemu.Submit.HANDLE.set(s, bo.handle());
                NovaGpuemu.Submit.OFFSET.set(s, 0L);
                NovaGpuemu.Submit.DWORDS.set(s, push.dwords());
                NovaGpuemu.Submit.SIGNALS.set(s, outHandle);
                NovaGpuemu.Submit.SIGNAL_COUNT.set(s, 1);
            });
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
                default -> throw new IllegalArgumentException("nova has no op " + kind.mixName());
            };
        }

        int createClose() {
            int r = proc.ioctl(fd, NovaDrm.GPUEMU_GEM_CREATE, create);
            if (r != 0) {
                return r;
            }
            mem.putInt(gemClose + CLOSE_HANDLE, mem.getInt(create + CREATE_HANDLE));
            return proc.ioctl(fd, DrmIoctls.GEM_CLOSE, gemClose);
        }

        int mmapOffset() {
            return proc.ioctl(fd, NovaDrm.GPUEMU_GEM_MMAP_OFFSET, mmapOffset);
        }

        /// SUBMIT of the copy job, then the wait for its out-fence.
        int submitWait() {
            int r = proc.ioctl(fd, NovaDrm.GPUEMU_SUBMIT, submit);
            if (r != 0) {
                return r;
            }
            return proc.ioctl(fd, DrmIoctls.SYNCOBJ_WAIT, waitOut);
        }

        @Override
        void closeDriver() {
            client.syncobjDestroy(outSync);
            client.channelDestroy(channel);
            client.vmUnmap(vm, BO_VA, bo.size());
            client.vmDestroy(vm);
            drm.gemClose(bo.handle());
            client.close();
            drm.close();
        }
    }
}
