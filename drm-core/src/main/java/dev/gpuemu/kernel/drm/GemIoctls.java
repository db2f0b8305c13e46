package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.DumbGeometry;
import dev.gpuemu.kernel.drm.gem.GemDumb;
import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.drm.DrmDumb;
import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmPrime;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;

/// The GEM ioctls of the DRM core: GEM_CLOSE, the dumb-buffer trio (MODE_CREATE_DUMB,
/// MODE_MAP_DUMB, MODE_DESTROY_DUMB) and PRIME (HANDLE_TO_FD, FD_TO_HANDLE).
///
/// PRIME exports one dma-buf per object (re-exports share it) holding the object and the device;
/// importing a dma-buf of the same device gives the object back: the handle this file exported
/// it from or imported it as before (while that handle still names the object), else a new one. Importing another device's dma-buf is not modelled yet: `EOPNOTSUPP`.
///
/// ## Thread safety
/// Stateless.
final class GemIoctls {
    private GemIoctls() {
    }

    static void register() {
        CoreIoctls.add("DRM_IOCTL_GEM_CLOSE", DrmIoctls.GEM_CLOSE, DRM_RENDER_ALLOW, GemIoctls::gemClose);
        CoreIoctls.add("DRM_IOCTL_PRIME_HANDLE_TO_FD", DrmIoctls.PRIME_HANDLE_TO_FD, DRM_RENDER_ALLOW, GemIoctls::handleToFd);
        CoreIoctls.add("DRM_IOCTL_PRIME_FD_TO_HANDLE", DrmIoctls.PRIME_FD_TO_HANDLE, DRM_RENDER_ALLOW, GemIoctls::fdToHandle);
        CoreIoctls.add("DRM_IOCTL_MODE_CREATE_DUMB", DrmIoctls.MODE_CREATE_DUMB, 0, GemIoctls::createDumb);
        CoreIoctls.add("DRM_IOCTL_MODE_MAP_DUMB", DrmIoctls.MODE_MAP_DUMB, 0, GemIoctls::mapDumb);
        CoreIoctls.add("DRM_IOCTL_MODE_DESTROY_DUMB", DrmIoctls.MODE_DESTROY_DUMB, 0, GemIoctls::destroyDumb);
    }

    private static GemFile gem(DrmFile<?> file) throws KernelException {
        if (file.gem == null) {
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        return file.gem;
    }

    /// `struct drm_gem_close { u32 handle; u32 pad; }`: `EINVAL` for an unknown handle.
    private static int gemClose(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        return gem(file).handleDelete((int) DrmGem.Close.HANDLE.get(arg));
    }

    /// `struct drm_mode_create_dumb { u32 height, width, bpp, flags; u32 handle, pitch; u64 size; }`.
    private static int createDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        if ((int) DrmDumb.Create.FLAGS.get(arg) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        DumbGeometry geo = DumbGeometry.of((int) DrmDumb.Create.WIDTH.get(arg), (int) DrmDumb.Create.HEIGHT.get(arg),
                (int) DrmDumb.Create.BPP.get(arg), Integer.toUnsignedLong((int) DrmDumb.Create.PITCH.get(arg)),
                (long) DrmDumb.Create.SIZE.get(arg));
        DrmDumb.Create.HANDLE.set(arg, create(file.state, g, geo));
        DrmDumb.Create.PITCH.set(arg, (int) geo.pitch());
        DrmDumb.Create.SIZE.set(arg, geo.size());
        return 0;
    }

    private static <D, R extends RegistrationData> int create(DrmDeviceState<D, R, ?> s, GemFile g, DumbGeometry geo)
            throws KernelException {
        return s.driver.dumbCreate(s.normal, g, geo);
    }

    /// `struct drm_mode_map_dumb { u32 handle; u32 pad; u64 offset; }`: the fake mmap offset.
    private static int mapDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        DrmDumb.Map.OFFSET.set(arg, GemDumb.mapOffset(gem(file), (int) DrmDumb.Map.HANDLE.get(arg)));
        return 0;
    }

    /// `struct drm_mode_destroy_dumb { u32 handle; }`: a GEM_CLOSE.
    private static int destroyDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        return gem(file).handleDelete((int) DrmDumb.Destroy.HANDLE.get(arg));
    }

    /// `struct drm_prime_handle { u32 handle; u32 flags; s32 fd; }`: flags only `DRM_CLOEXEC`
    /// and `DRM_RDWR`.
    private static int handleToFd(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        int flags = (int) DrmPrime.FLAGS.get(arg);
        if ((flags & ~(DrmPrime.DRM_CLOEXEC | DrmPrime.DRM_RDWR)) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = g.lookup((int) DrmPrime.HANDLE.get(arg));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        KFile buf;
        try {
            buf = file.state.export(obj, (flags & DrmPrime.DRM_RDWR) != 0);
            file.primeRemember(obj, (int) DrmPrime.HANDLE.get(arg));
        } finally {
            obj.put();
        }
        int fd = task.installFd(buf, flags & DrmPrime.DRM_CLOEXEC);
        buf.put();
        if (fd < 0) {
            throw KernelException.of(Errno.ofCode(fd));
        }
        DrmPrime.FD.set(arg, fd);
        return 0;
    }

    /// The reverse: `EBADF` for a closed fd, `EINVAL` for a file that is not a dma-buf.
    private static int fdToHandle(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        KFile f = task.fget((int) DrmPrime.FD.get(arg));
        if (f == null) {
            throw KernelException.of(Errno.EBADF);
        }
        try {
            if (f.ops() != DmaBuf.FOPS) {
                throw KernelException.of(Errno.EINVAL);
            }
            DmaBuf buf = f.privateData(DmaBuf.class);
            if (buf.exporter() != file.state) {
                throw new KernelException(Errno.EOPNOTSUPP, "import of another device's dma-buf is not modelled");
            }
            DrmPrime.HANDLE.set(arg, file.primeHandle(g, buf.object()));
            return 0;
        } finally {
            f.put();
        }
    }
}
