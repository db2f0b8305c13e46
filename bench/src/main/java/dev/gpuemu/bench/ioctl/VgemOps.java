package dev.gpuemu.bench.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.kernel.uapi.drm.DrmDumb;
import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import java.util.Optional;

/// vgem: BOs are dumb buffers (`MODE_CREATE_DUMB`, `MODE_MAP_DUMB`), issued on the device's
/// primary node because a render node refuses them (`EACCES`, as in Linux); no job submission.
///
/// ## Thread safety
/// Stateless.
public final class VgemOps implements DriverOps {
    /// `drm_mode_create_dumb` of 4 KiB: 1 × 1024 pixels of 32 bpp.
    static final int DUMB_WIDTH = 1024;
    static final long CREATE_HANDLE = DrmDumb.Create.LAYOUT.byteOffset(groupElement("handle"));
    static final long CLOSE_HANDLE = DrmGem.Close.LAYOUT.byteOffset(groupElement("handle"));

    @Override
    public String driverName() {
        return "vgem";
    }

    @Override
    public boolean usesSimTime() {
        return false;
    }

    @Override
    public Optional<String> unsupported(IoctlKind kind) {
        return kind == IoctlKind.SUBMIT
                ? Optional.of("vgem has no job submission (no hardware; VGEM_FENCE_* only)")
                : Optional.empty();
    }

    @Override
    public ThreadOps open(BenchFile file) {
        return new Ops(file);
    }

    private static final class Ops extends CoreThreadOps {
        private final int primary;
        private final long create;
        private final long close;
        private final long map;
        private final int mapped;

        Ops(BenchFile file) {
            super(file);
            primary = file.primaryFd();
            create = args.put(DrmDumb.Create.LAYOUT, s -> {
                DrmDumb.Create.HEIGHT.set(s, 1);
                DrmDumb.Create.WIDTH.set(s, DUMB_WIDTH);
                DrmDumb.Create.BPP.set(s, 32);
            });
            close = args.put(DrmGem.Close.LAYOUT, s -> { });
            int r = proc.ioctl(primary, DrmIoctls.MODE_CREATE_DUMB, create);
            if (r != 0) {
                args.close();
                throw new IllegalStateException("vgem bench setup: MODE_CREATE_DUMB failed: " + r);
            }
            mapped = mem.getInt(create + CREATE_HANDLE);
            map = args.put(DrmDumb.Map.LAYOUT, s -> DrmDumb.Map.HANDLE.set(s, mapped));
        }

        @Override
        BenchOp driverOp(IoctlKind kind) {
            return switch (kind) {
                case GEM_CREATE_CLOSE -> this::createClose;
                case MMAP_OFFSET -> this::mapOffset;
                default -> throw new IllegalArgumentException("vgem has no op " + kind.mixName());
            };
        }

        int createClose() {
            int r = proc.ioctl(primary, DrmIoctls.MODE_CREATE_DUMB, create);
            if (r != 0) {
                return r;
            }
            mem.putInt(close + CLOSE_HANDLE, mem.getInt(create + CREATE_HANDLE));
            return proc.ioctl(primary, DrmIoctls.GEM_CLOSE, close);
        }

        int mapOffset() {
            return proc.ioctl(primary, DrmIoctls.MODE_MAP_DUMB, map);
        }

        @Override
        void closeDriver() {
            mem.putInt(close + CLOSE_HANDLE, mapped);
            proc.ioctl(primary, DrmIoctls.GEM_CLOSE, close);
        }
    }
}
