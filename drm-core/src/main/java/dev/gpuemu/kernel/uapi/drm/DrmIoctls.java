package dev.gpuemu.kernel.uapi.drm;

import dev.gpuemu.kernel.uapi.Ioc;
import java.lang.foreign.StructLayout;
import java.util.List;
import java.util.Objects;

/// The DRM ioctl numbers this emulator knows, built like `drm.h` builds them
/// (`DRM_IOWR(nr, struct)` = `_IOWR('d', nr, sizeof(struct))`), plus the driver-private range.
///
/// The DRM core dispatches on `_IOC_NR` alone and trusts its own table for the size and
/// direction; the full numbers matter to userspace, which passes them.
///
/// ## Thread safety
/// Constants only.
public final class DrmIoctls {
    /// First driver-private ioctl number (`DRM_COMMAND_BASE`).
    public static final int DRM_COMMAND_BASE = 0x40;
    /// End (exclusive) of the driver-private range (`DRM_COMMAND_END`).
    public static final int DRM_COMMAND_END = 0xA0;

    public static final int VERSION = drmIowr(0x00, DrmVersion.LAYOUT);
    public static final int GET_UNIQUE = drmIowr(0x01, DrmVersion.Unique.LAYOUT);
    public static final int GEM_CLOSE = drmIow(0x09, DrmGem.Close.LAYOUT);
    public static final int GEM_FLINK = drmIowr(0x0a, DrmGem.Flink.LAYOUT);
    public static final int GEM_OPEN = drmIowr(0x0b, DrmGem.Open.LAYOUT);
    public static final int GET_CAP = drmIowr(0x0c, DrmCap.GetCap.LAYOUT);
    public static final int SET_CLIENT_CAP = drmIow(0x0d, DrmCap.SetClientCap.LAYOUT);
    public static final int SET_MASTER = drmIo(0x1e);
    public static final int DROP_MASTER = drmIo(0x1f);
    public static final int PRIME_HANDLE_TO_FD = drmIowr(0x2d, DrmPrime.LAYOUT);
    public static final int PRIME_FD_TO_HANDLE = drmIowr(0x2e, DrmPrime.LAYOUT);
    public static final int MODE_CREATE_DUMB = drmIowr(0xB2, DrmDumb.Create.LAYOUT);
    public static final int MODE_MAP_DUMB = drmIowr(0xB3, DrmDumb.Map.LAYOUT);
    public static final int MODE_DESTROY_DUMB = drmIowr(0xB4, DrmDumb.Destroy.LAYOUT);
    public static final int SYNCOBJ_CREATE = drmIowr(0xBF, DrmSyncobj.Create.LAYOUT);
    public static final int SYNCOBJ_DESTROY = drmIowr(0xC0, DrmSyncobj.Destroy.LAYOUT);
    public static final int SYNCOBJ_HANDLE_TO_FD = drmIowr(0xC1, DrmSyncobj.Handle.LAYOUT);
    public static final int SYNCOBJ_FD_TO_HANDLE = drmIowr(0xC2, DrmSyncobj.Handle.LAYOUT);
    public static final int SYNCOBJ_WAIT = drmIowr(0xC3, DrmSyncobj.Wait.LAYOUT);
    public static final int SYNCOBJ_RESET = drmIowr(0xC4, DrmSyncobj.Array.LAYOUT);
    public static final int SYNCOBJ_SIGNAL = drmIowr(0xC5, DrmSyncobj.Array.LAYOUT);
    public static final int SYNCOBJ_TIMELINE_WAIT = drmIowr(0xCA, DrmSyncobj.TimelineWait.LAYOUT);
    public static final int SYNCOBJ_QUERY = drmIowr(0xCB, DrmSyncobj.TimelineArray.LAYOUT);
    public static final int SYNCOBJ_TRANSFER = drmIowr(0xCC, DrmSyncobj.Transfer.LAYOUT);
    public static final int SYNCOBJ_TIMELINE_SIGNAL = drmIowr(0xCD, DrmSyncobj.TimelineArray.LAYOUT);

    /// One ioctl: its `drm.h` macro name, full number and argument struct (null for `DRM_IO`).
    public record DrmIoctl(String name, int cmd, StructLayout arg) {
        public DrmIoctl {
            Objects.requireNonNull(name, "name");
        }

        public int nr() {
            return Ioc.nr(cmd);
        }
    }

    /// Every ioctl above, by number.
    public static final List<DrmIoctl> ALL = List.of(
            new DrmIoctl("DRM_IOCTL_VERSION", VERSION, DrmVersion.LAYOUT),
            new DrmIoctl("DRM_IOCTL_GET_UNIQUE", GET_UNIQUE, DrmVersion.Unique.LAYOUT),
            new DrmIoctl("DRM_IOCTL_GEM_CLOSE", GEM_CLOSE, DrmGem.Close.LAYOUT),
            new DrmIoctl("DRM_IOCTL_GEM_FLINK", GEM_FLINK, DrmGem.Flink.LAYOUT),
            new DrmIoctl("DRM_IOCTL_GEM_OPEN", GEM_OPEN, DrmGem.Open.LAYOUT),
            new DrmIoctl("DRM_IOCTL_GET_CAP", GET_CAP, DrmCap.GetCap.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SET_CLIENT_CAP", SET_CLIENT_CAP, DrmCap.SetClientCap.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SET_MASTER", SET_MASTER, null),
            new DrmIoctl("DRM_IOCTL_DROP_MASTER", DROP_MASTER, null),
            new DrmIoctl("DRM_IOCTL_PRIME_HANDLE_TO_FD", PRIME_HANDLE_TO_FD, DrmPrime.LAYOUT),
            new DrmIoctl("DRM_IOCTL_PRIME_FD_TO_HANDLE", PRIME_FD_TO_HANDLE, DrmPrime.LAYOUT),
            new DrmIoctl("DRM_IOCTL_MODE_CREATE_DUMB", MODE_CREATE_DUMB, DrmDumb.Create.LAYOUT),
            new DrmIoctl("DRM_IOCTL_MODE_MAP_DUMB", MODE_MAP_DUMB, DrmDumb.Map.LAYOUT),
            new DrmIoctl("DRM_IOCTL_MODE_DESTROY_DUMB", MODE_DESTROY_DUMB, DrmDumb.Destroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_CREATE", SYNCOBJ_CREATE, DrmSyncobj.Create.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_DESTROY", SYNCOBJ_DESTROY, DrmSyncobj.Destroy.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", SYNCOBJ_HANDLE_TO_FD, DrmSyncobj.Handle.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", SYNCOBJ_FD_TO_HANDLE, DrmSyncobj.Handle.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_WAIT", SYNCOBJ_WAIT, DrmSyncobj.Wait.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_RESET", SYNCOBJ_RESET, DrmSyncobj.Array.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_SIGNAL", SYNCOBJ_SIGNAL, DrmSyncobj.Array.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT", SYNCOBJ_TIMELINE_WAIT, DrmSyncobj.TimelineWait.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_QUERY", SYNCOBJ_QUERY, DrmSyncobj.TimelineArray.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_TRANSFER", SYNCOBJ_TRANSFER, DrmSyncobj.Transfer.LAYOUT),
            new DrmIoctl("DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL", SYNCOBJ_TIMELINE_SIGNAL, DrmSyncobj.TimelineArray.LAYOUT));

    private DrmIoctls() {
    }

    /// `DRM_IO(nr)`.
    public static int drmIo(int nr) {
        return Ioc.io(Ioc.DRM_TYPE, nr);
    }

    /// `DRM_IOR(nr, type)`: kernel to userspace.
    public static int drmIor(int nr, StructLayout arg) {
        return Ioc.ior(Ioc.DRM_TYPE, nr, size(arg));
    }

    /// `DRM_IOW(nr, type)`: userspace to kernel.
    public static int drmIow(int nr, StructLayout arg) {
        return Ioc.iow(Ioc.DRM_TYPE, nr, size(arg));
    }

    /// `DRM_IOWR(nr, type)`.
    public static int drmIowr(int nr, StructLayout arg) {
        return Ioc.iowr(Ioc.DRM_TYPE, nr, size(arg));
    }

    /// Whether `nr` is in the driver-private range `[DRM_COMMAND_BASE, DRM_COMMAND_END)`.
    public static boolean isDriverIoctl(int nr) {
        return nr >= DRM_COMMAND_BASE && nr < DRM_COMMAND_END;
    }

    private static int size(StructLayout arg) {
        return Math.toIntExact(arg.byteSize());
    }
}
