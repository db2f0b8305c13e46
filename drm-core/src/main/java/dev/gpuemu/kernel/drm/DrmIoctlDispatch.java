package dev.gpuemu.kernel.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// `drm_ioctl()`, in the modern order (kernel-semantics.md §1.4):
/// 1. device unplugged → `ENODEV` (a point check);
/// 2. type not `'d'` → `ENOTTY`;
/// 3. driver range `0x40..0x9f` indexes the driver table, anything else the core table; beyond
///    the table or a gap → `EINVAL`;
/// 4. sizes: `in`/`out` are the user's size where both the user's and the table's command carry
///    that direction, else 0; `ksize = max(in, out, table size)`; the table's command is trusted
///    for everything else;
/// 5. copy in `in` bytes (fault → `EFAULT`), zero `[in, ksize)`;
/// 6. unplugged again → `ENODEV`; permission (`drm_ioctl_permit`) → `EACCES`;
/// 7. the handler — a driver handler inside a [RegistrationGuard] (unplugged → `ENODEV`, handler
///    not called), a core handler directly, or inside a guard too when the core's
///    [DrmCore#setGuardCoreIoctls] option is on;
/// 8. copy out `out` bytes **whatever the handler returned**; a fault makes it `EFAULT`;
/// 9. the handler's result is returned as is.
///
/// A [DrmCore.HandlerProbe], when installed (`gpuemu inject`), is told when a driver handler body
/// enters and returns, with whether its device's unplug had completed.
///
/// Point checks and guards use the device's [GuardStrategy]; with [GuardStrategy#NONE] the
/// point checks are plain volatile loads and a guard opens no section.
///
/// ## Thread safety
/// Stateless; per-thread buffers come from [DrmThread]. Allocation-free on success and on errno
/// paths that do not create exceptions.
final class DrmIoctlDispatch {
    private static final MemorySegment ZEROS = Arena.global().allocate(DrmThread.MAX_KDATA + 1);

    private DrmIoctlDispatch() {
    }

    static <F> int ioctl(DrmFile<F> file, Task task, int cmd, long arg) {
        return dispatch(file.state, file, task, cmd, arg);
    }

    private static <D, R extends RegistrationData, F> int dispatch(DrmDeviceState<D, R, F> s, DrmFile<F> file, Task task,
                                                                   int cmd, long arg) {
        if (s.isUnplugged()) {
            s.core.countEnodev();
            return Errno.ENODEV.negative();
        }
        if (Ioc.type(cmd) != Ioc.DRM_TYPE) {
            return Errno.ENOTTY.negative();
        }
        int nr = Ioc.nr(cmd);
        boolean isDriver = nr >= IoctlTable.DRM_COMMAND_BASE && nr < IoctlTable.DRM_COMMAND_END;
        IoctlDesc<D, R, F> drv = null;
        CoreIoctl core = null;
        int tableCmd;
        int flags;
        if (isDriver) {
            drv = s.driver.ioctls().get(nr - IoctlTable.DRM_COMMAND_BASE);
            if (drv == null || drv.isReserved()) {
                return Errno.EINVAL.negative();
            }
            tableCmd = drv.cmd();
            flags = drv.flags();
        } else {
            core = CoreIoctls.get(nr);
            if (core == null) {
                return Errno.EINVAL.negative();
            }
            tableCmd = core.cmd();
            flags = core.flags();
        }
        int userSize = Ioc.size(cmd);
        int in = (Ioc.dir(cmd) & Ioc.WRITE) != 0 && (Ioc.dir(tableCmd) & Ioc.WRITE) != 0 ? userSize : 0;
        int out = (Ioc.dir(cmd) & Ioc.READ) != 0 && (Ioc.dir(tableCmd) & Ioc.READ) != 0 ? userSize : 0;
        int ksize = Math.max(Math.max(in, out), Ioc.size(tableCmd));
        DrmThread thread = DrmThread.current();
        MemorySegment kdata = thread.kdata(ksize);
        if (!task.copyFromUser(kdata, 0, arg, in)) {
            return Errno.EFAULT.negative();
        }
        if (ksize > in) {
            MemorySegment.copy(ZEROS, 0, kdata, in, ksize - in); // zero-extension
        }
        if (s.isUnplugged()) { // drm_ioctl_kernel's own check
            s.core.countEnodev();
            return Errno.ENODEV.negative();
        }
        int denied = permit(flags, file, task);
        if (denied != 0) {
            return denied;
        }
        int ret = isDriver ? callDriver(s, thread, drv, kdata, file, task) : callCore(s, thread, core, kdata, file, task);
        if (out > 0 && !task.copyToUser(arg, kdata, 0, out)) {
            ret = Errno.EFAULT.negative();
        }
        return ret;
    }

    /// `drm_ioctl_permit`.
    private static int permit(int flags, DrmFile<?> file, Task task) {
        if ((flags & IoctlFlags.DRM_ROOT_ONLY) != 0 && !task.capable(Task.CAP_SYS_ADMIN)) {
            return Errno.EACCES.negative();
        }
        boolean render = file.isRender();
        if ((flags & IoctlFlags.DRM_AUTH) != 0 && !render && !file.isAuthenticated()) {
            return Errno.EACCES.negative();
        }
        if ((flags & IoctlFlags.DRM_MASTER) != 0 && !file.isMaster()) {
            return Errno.EACCES.negative();
        }
        if ((flags & IoctlFlags.DRM_RENDER_ALLOW) == 0 && render) {
            return Errno.EACCES.negative();
        }
        return 0;
    }

    private static <D, R extends RegistrationData, F> int callDriver(DrmDeviceState<D, R, F> s, DrmThread thread,
                                                                     IoctlDesc<D, R, F> d, MemorySegment kdata,
                                                                     DrmFile<F> file, Task task) {
        RegistrationGuard<D, R> g = s.enter(thread);
        if (g == null) {
            s.core.countEnodev();
            return Errno.ENODEV.negative();
        }
        DrmCore.HandlerProbe probe = s.core.handlerProbe();
        if (probe != null) {
            probe.handler(s.driver.info().name(), s.parent.name(), d.name(), true, s.unplugCompleted);
        }
        try {
            return d.handler().handle(g.device(), s.regData, kdata, file, task);
        } catch (KernelException e) {
            return e.errno().negative();
        } catch (UseAfterUnbindException e) {
            return Errno.EIO.negative(); // already counted as an oops where it was detected
        } catch (RuntimeException e) {
            s.kernel.oopses().bug("driver ioctl " + d.name() + " of " + s.driver.info().name() + " threw " + e);
            return Errno.EIO.negative();
        } finally {
            if (probe != null) {
                probe.handler(s.driver.info().name(), s.parent.name(), d.name(), false, s.unplugCompleted);
            }
            g.close();
        }
    }

    /// A core handler, inside a guard when the device's `guardCoreIoctls` option is on.
    private static int callCore(DrmDeviceState<?, ?, ?> s, DrmThread thread, CoreIoctl c, MemorySegment kdata,
                                DrmFile<?> file, Task task) {
        if (!s.guardCoreIoctls) {
            return runCore(s, c, kdata, file, task);
        }
        RegistrationGuard<?, ?> g = s.enter(thread);
        if (g == null) {
            s.core.countEnodev();
            return Errno.ENODEV.negative();
        }
        try {
            return runCore(s, c, kdata, file, task);
        } finally {
            g.close();
        }
    }

    private static int runCore(DrmDeviceState<?, ?, ?> s, CoreIoctl c, MemorySegment kdata, DrmFile<?> file, Task task) {
        try {
            return c.handler().handle(file, kdata, task);
        } catch (KernelException e) {
            return e.errno().negative();
        } catch (UseAfterUnbindException e) {
            return Errno.EIO.negative();
        } catch (RuntimeException e) {
            s.kernel.oopses().bug("core ioctl " + c.name() + " threw " + e);
            return Errno.EIO.negative();
        }
    }
}
