package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_AUTH;
import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;

/// The DRM core's ioctl table (`drm_ioctls[]`) for a render-capable, non-KMS device, and the
/// handlers that do not need GEM: VERSION, GET_CAP, SET_CLIENT_CAP, SET_MASTER, DROP_MASTER.
/// GEM, PRIME, dumb-buffer and syncobj handlers live in [GemIoctls] and [SyncobjIoctls].
///
/// Gaps (legacy, KMS-only numbers) are null: `EINVAL`, as the core table's gaps are in Linux.
///
/// ## Thread safety
/// Immutable table; handlers are stateless.
final class CoreIoctls {
    static final int DRM_CAP_DUMB_BUFFER = 0x1;
    static final int DRM_CAP_PRIME = 0x5;
    static final int DRM_CAP_TIMESTAMP_MONOTONIC = 0x6;
    static final int DRM_CAP_SYNCOBJ = 0x13;
    static final int DRM_CAP_SYNCOBJ_TIMELINE = 0x14;
    static final int DRM_PRIME_CAP_IMPORT = 0x1;
    static final int DRM_PRIME_CAP_EXPORT = 0x2;

    static final int DRM_CLIENT_CAP_STEREO_3D = 1;
    static final int DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT = 6;

    private static final CoreIoctl[] TABLE = new CoreIoctl[0xD1];

    static {
        add("DRM_IOCTL_VERSION", Ioc.iowr(Ioc.DRM_TYPE, 0x00, 64), DRM_RENDER_ALLOW, CoreIoctls::version);
        add("DRM_IOCTL_GET_CAP", Ioc.iowr(Ioc.DRM_TYPE, 0x0C, 16), DRM_RENDER_ALLOW, CoreIoctls::getCap);
        add("DRM_IOCTL_SET_CLIENT_CAP", Ioc.iow(Ioc.DRM_TYPE, 0x0D, 16), 0, CoreIoctls::setClientCap);
        add("DRM_IOCTL_SET_MASTER", Ioc.io(Ioc.DRM_TYPE, 0x1E), 0, CoreIoctls::setMaster);
        add("DRM_IOCTL_DROP_MASTER", Ioc.io(Ioc.DRM_TYPE, 0x1F), 0, CoreIoctls::dropMaster);
        GemIoctls.register();
        SyncobjIoctls.register();
    }

    private CoreIoctls() {
    }

    /// Adds an entry; numbers must be free and outside the driver range.
    static void add(String name, int cmd, int flags, CoreIoctl.Handler handler) {
        int nr = Ioc.nr(cmd);
        if (nr >= 0x40 && nr < 0xA0 || TABLE[nr] != null) {
            throw new IllegalStateException("core ioctl " + name + " at taken or driver number 0x" + Integer.toHexString(nr));
        }
        TABLE[nr] = new CoreIoctl(name, cmd, flags, handler);
    }

    /// The entry for `nr`, or null (beyond the table, or a gap).
    static CoreIoctl get(int nr) {
        return nr < TABLE.length ? TABLE[nr] : null;
    }

    /// Whether `flags` includes [dev.gpuemu.kernel.drm.ioctl.IoctlFlags#DRM_AUTH] (for tests of the table).
    static boolean needsAuth(CoreIoctl c) {
        return (c.flags() & DRM_AUTH) != 0;
    }

    // ---- struct drm_version (64 bytes) ----
    private static final long V_MAJOR = 0;
    private static final long V_MINOR = 4;
    private static final long V_PATCH = 8;
    private static final long V_NAME_LEN = 16;
    private static final long V_NAME = 24;
    private static final long V_DATE_LEN = 32;
    private static final long V_DATE = 40;
    private static final long V_DESC_LEN = 48;
    private static final long V_DESC = 56;

    /// `drm_version`: the numbers, then each string: copy `min(strlen, user len)` bytes without a
    /// NUL and write back the full length, so a first call with length 0 learns the sizes.
    private static int version(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        DrmDeviceState<?, ?, ?> s = file.state;
        DriverInfo i = s.driver.info();
        arg.set(JAVA_INT_UNALIGNED, V_MAJOR, i.major());
        arg.set(JAVA_INT_UNALIGNED, V_MINOR, i.minor());
        arg.set(JAVA_INT_UNALIGNED, V_PATCH, i.patchlevel());
        DrmDeviceState.InfoStrings strings = s.infoStrings();
        copyString(arg, V_NAME_LEN, V_NAME, strings.name(), task);
        copyString(arg, V_DATE_LEN, V_DATE, strings.date(), task);
        copyString(arg, V_DESC_LEN, V_DESC, strings.desc(), task);
        return 0;
    }

    private static void copyString(MemorySegment arg, long lenOff, long ptrOff, MemorySegment value, Task task)
            throws KernelException {
        long userLen = arg.get(JAVA_LONG_UNALIGNED, lenOff);
        long n = Math.min(value.byteSize(), userLen);
        if (n > 0 && !task.copyToUser(arg.get(JAVA_LONG_UNALIGNED, ptrOff), value, 0, n)) {
            throw KernelException.of(Errno.EFAULT);
        }
        arg.set(JAVA_LONG_UNALIGNED, lenOff, value.byteSize());
    }

    /// `drm_getcap` for a driver without `DRIVER_MODESET`.
    private static int getCap(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        long cap = arg.get(JAVA_LONG_UNALIGNED, 0);
        int features = file.state.driver.features();
        long value;
        if (cap == DRM_CAP_TIMESTAMP_MONOTONIC) {
            value = 1;
        } else if (cap == DRM_CAP_PRIME) {
            value = DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT;
        } else if (cap == DRM_CAP_SYNCOBJ) {
            value = DriverFeatures.has(features, DriverFeatures.DRIVER_SYNCOBJ) ? 1 : 0;
        } else if (cap == DRM_CAP_SYNCOBJ_TIMELINE) {
            value = DriverFeatures.has(features, DriverFeatures.DRIVER_SYNCOBJ_TIMELINE) ? 1 : 0;
        } else {
            arg.set(JAVA_LONG_UNALIGNED, 8, 0L);
            // Every other capability is KMS-only; none of our drivers does KMS.
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        arg.set(JAVA_LONG_UNALIGNED, 8, value);
        return 0;
    }

    /// `drm_setclientcap`: stereo 3D takes 0/1; the other known caps need KMS; unknown → EINVAL.
    private static int setClientCap(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        long cap = arg.get(JAVA_LONG_UNALIGNED, 0);
        long value = arg.get(JAVA_LONG_UNALIGNED, 8);
        if (cap == DRM_CLIENT_CAP_STEREO_3D) {
            if (value > 1 || value < 0) {
                throw KernelException.of(Errno.EINVAL);
            }
            return 0;
        }
        if (cap > DRM_CLIENT_CAP_STEREO_3D && cap <= DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT) {
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        throw KernelException.of(Errno.EINVAL);
    }

    /// `drm_setmaster_ioctl`: a no-op for the master, `EBUSY` while another file is master.
    private static int setMaster(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        if (!file.state.setMaster(file)) {
            throw KernelException.of(Errno.EBUSY);
        }
        file.becomeMaster();
        return 0;
    }

    /// `drm_dropmaster_ioctl`: `EINVAL` unless this file is the master.
    private static int dropMaster(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        if (!file.state.dropMaster(file)) {
            throw KernelException.of(Errno.EINVAL);
        }
        return 0;
    }
}
