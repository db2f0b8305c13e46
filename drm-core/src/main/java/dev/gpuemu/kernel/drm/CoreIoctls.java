package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmVersion;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/// The DRM core's ioctl table (`drm_ioctls[]`) for a render-capable, non-KMS device, and the
/// handlers that do not need GEM: VERSION, GET_CAP, SET_CLIENT_CAP, SET_MASTER, DROP_MASTER.
/// GEM, PRIME, dumb-buffer and syncobj handlers live in [GemIoctls] and [SyncobjIoctls].
///
/// Gaps (legacy, KMS-only numbers) are null: `EINVAL`, as the core table's gaps are in Linux.
///
/// ## Thread safety
/// Immutable table; handlers are stateless.
final class CoreIoctls {
    private static final CoreIoctl[] TABLE = new CoreIoctl[0xD1];

    static {
        add("DRM_IOCTL_VERSION", DrmIoctls.VERSION, DRM_RENDER_ALLOW, CoreIoctls::version);
        add("DRM_IOCTL_GET_CAP", DrmIoctls.GET_CAP, DRM_RENDER_ALLOW, CoreIoctls::getCap);
        add("DRM_IOCTL_SET_CLIENT_CAP", DrmIoctls.SET_CLIENT_CAP, 0, CoreIoctls::setClientCap);
        add("DRM_IOCTL_SET_MASTER", DrmIoctls.SET_MASTER, 0, CoreIoctls::setMaster);
        add("DRM_IOCTL_DROP_MASTER", DrmIoctls.DROP_MASTER, 0, CoreIoctls::dropMaster);
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

    /// `drm_version`: the numbers, then each string: copy `min(strlen, user len)` bytes without a
    /// NUL and write back the full length, so a first call with length 0 learns the sizes.
    private static int version(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        DrmDeviceState<?, ?, ?> s = file.state;
        DriverInfo i = s.driver.info();
        DrmVersion.VERSION_MAJOR.set(arg, i.major());
        DrmVersion.VERSION_MINOR.set(arg, i.minor());
        DrmVersion.VERSION_PATCHLEVEL.set(arg, i.patchlevel());
        DrmDeviceState.InfoStrings strings = s.infoStrings();
        copyString(arg, DrmVersion.NAME_LEN, DrmVersion.NAME, strings.name(), task);
        copyString(arg, DrmVersion.DATE_LEN, DrmVersion.DATE, strings.date(), task);
        copyString(arg, DrmVersion.DESC_LEN, DrmVersion.DESC, strings.desc(), task);
        return 0;
    }

    private static void copyString(MemorySegment arg, VarHandle len, VarHandle ptr, MemorySegment value, Task task)
            throws KernelException {
        long userLen = (long) len.get(arg);
        long n = Math.min(value.byteSize(), userLen);
        if (n > 0 && !task.copyToUser((long) ptr.get(arg), value, 0, n)) {
            throw KernelException.of(Errno.EFAULT);
        }
        len.set(arg, value.byteSize());
    }

    /// `drm_getcap` for a driver without `DRIVER_MODESET`.
    private static int getCap(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        long cap = (long) DrmCap.GetCap.CAPABILITY.get(arg);
        int features = file.state.driver.features();
        long value;
        if (cap == DrmCap.DRM_CAP_TIMESTAMP_MONOTONIC) {
            value = 1;
        } else if (cap == DrmCap.DRM_CAP_PRIME) {
            value = DrmCap.DRM_PRIME_CAP_IMPORT | DrmCap.DRM_PRIME_CAP_EXPORT;
        } else if (cap == DrmCap.DRM_CAP_SYNCOBJ) {
            value = DriverFeatures.has(features, DriverFeatures.DRIVER_SYNCOBJ) ? 1 : 0;
        } else if (cap == DrmCap.DRM_CAP_SYNCOBJ_TIMELINE) {
            value = DriverFeatures.has(features, DriverFeatures.DRIVER_SYNCOBJ_TIMELINE) ? 1 : 0;
        } else {
            DrmCap.GetCap.VALUE.set(arg, 0L);
            // Every other capability is KMS-only; none of our drivers does KMS.
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        DrmCap.GetCap.VALUE.set(arg, value);
        return 0;
    }

    /// `drm_setclientcap`: stereo 3D takes 0/1; the other known caps need KMS; unknown → EINVAL.
    private static int setClientCap(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        long cap = (long) DrmCap.SetClientCap.CAPABILITY.get(arg);
        long value = (long) DrmCap.SetClientCap.VALUE.get(arg);
        if (cap == DrmCap.DRM_CLIENT_CAP_STEREO_3D) {
            if (value > 1 || value < 0) {
                throw KernelException.of(Errno.EINVAL);
            }
            return 0;
        }
        if (cap > DrmCap.DRM_CLIENT_CAP_STEREO_3D && cap <= DrmCap.DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT) {
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        throw KernelException.of(Errno.EINVAL);
    }

    /// `drm_setmaster_ioctl`: `EACCES` unless [DrmFile#mayChangeMaster]; a no-op for the master,
    /// `EBUSY` while another file is master.
    private static int setMaster(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        if (!file.mayChangeMaster(task)) {
            throw KernelException.of(Errno.EACCES);
        }
        if (!file.state.setMaster(file)) {
            throw KernelException.of(Errno.EBUSY);
        }
        file.becomeMaster();
        return 0;
    }

    /// `drm_dropmaster_ioctl`: `EACCES` unless [DrmFile#mayChangeMaster], then `EINVAL` unless
    /// this file is the master.
    private static int dropMaster(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        if (!file.mayChangeMaster(task)) {
            throw KernelException.of(Errno.EACCES);
        }
        if (!file.state.dropMaster(file)) {
            throw KernelException.of(Errno.EINVAL);
        }
        return 0;
    }
}
