package dev.gpuemu.kernel.drm;

import static dev.gpuemu.kernel.drm.ioctl.IoctlFlags.DRM_RENDER_ALLOW;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.gem.DumbGeometry;
import dev.gpuemu.kernel.drm.gem.GemFile;
import dev.gpuemu.kernel.drm.gem.GemObject;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.vfs.KFile;
import dev.gpuemu.kernel.vfs.Task;
import java.lang.foreign.MemorySegment;

/// The GEM ioctls of the DRM core: GEM_CLOSE, the dumb-buffer trio (MODE_CREATE_DUMB,
/// MODE_MAP_DUMB, MODE_DESTROY_DUMB) and PRIME (HANDLE_TO_FD, FD_TO_HANDLE).
///
/// PRIME exports one dma-buf per object (re-exports share it) holding the object and the device;
/// importing a dma-buf of the same device gives the object back (the same handle when this file
/// already has one). Importing another device's dma-buf is not modelled yet: `EOPNOTSUPP`.
///
/// ## Thread safety
/// Stateless.
final class GemIoctls {
    static final int DRM_CLOEXEC = Fcntl.O_CLOEXEC;
    static final int DRM_RDWR = Fcntl.O_RDWR;

    private GemIoctls() {
    }

    static void register() {
        CoreIoctls.add("DRM_IOCTL_GEM_CLOSE", Ioc.iow(Ioc.DRM_TYPE, 0x09, 8), DRM_RENDER_ALLOW, GemIoctls::gemClose);
        CoreIoctls.add("DRM_IOCTL_PRIME_HANDLE_TO_FD", Ioc.iowr(Ioc.DRM_TYPE, 0x2D, 12), DRM_RENDER_ALLOW, GemIoctls::handleToFd);
        CoreIoctls.add("DRM_IOCTL_PRIME_FD_TO_HANDLE", Ioc.iowr(Ioc.DRM_TYPE, 0x2E, 12), DRM_RENDER_ALLOW, GemIoctls::fdToHandle);
        CoreIoctls.add("DRM_IOCTL_MODE_CREATE_DUMB", Ioc.iowr(Ioc.DRM_TYPE, 0xB2, 32), 0, GemIoctls::createDumb);
        CoreIoctls.add("DRM_IOCTL_MODE_MAP_DUMB", Ioc.iowr(Ioc.DRM_TYPE, 0xB3, 16), 0, GemIoctls::mapDumb);
        CoreIoctls.add("DRM_IOCTL_MODE_DESTROY_DUMB", Ioc.iowr(Ioc.DRM_TYPE, 0xB4, 4), 0, GemIoctls::destroyDumb);
    }

    private static GemFile gem(DrmFile<?> file) throws KernelException {
        if (file.gem == null) {
            throw KernelException.of(Errno.EOPNOTSUPP);
        }
        return file.gem;
    }

    /// `struct drm_gem_close { u32 handle; u32 pad; }`: `EINVAL` for an unknown handle.
    private static int gemClose(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        return gem(file).handleDelete(arg.get(JAVA_INT_UNALIGNED, 0));
    }

    /// `struct drm_mode_create_dumb { u32 height, width, bpp, flags; u32 handle, pitch; u64 size; }`.
    private static int createDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        int height = arg.get(JAVA_INT_UNALIGNED, 0);
        int width = arg.get(JAVA_INT_UNALIGNED, 4);
        int bpp = arg.get(JAVA_INT_UNALIGNED, 8);
        if (arg.get(JAVA_INT_UNALIGNED, 12) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        DumbGeometry geo = DumbGeometry.of(width, height, bpp, Integer.toUnsignedLong(arg.get(JAVA_INT_UNALIGNED, 20)),
                arg.get(JAVA_LONG_UNALIGNED, 24));
        GemObject obj = create(file.state, geo.size());
        try {
            arg.set(JAVA_INT_UNALIGNED, 16, g.handleCreate(obj));
        } finally {
            obj.put(); // the handle holds the object now (or it is freed on failure)
        }
        arg.set(JAVA_INT_UNALIGNED, 20, (int) geo.pitch());
        arg.set(JAVA_LONG_UNALIGNED, 24, geo.size());
        return 0;
    }

    private static <D, R extends RegistrationData> GemObject create(DrmDeviceState<D, R, ?> s, long size)
            throws KernelException {
        return s.driver.dumbCreate(s.normal, size);
    }

    /// `struct drm_mode_map_dumb { u32 handle; u32 pad; u64 offset; }`: the fake mmap offset.
    private static int mapDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemObject obj = gem(file).lookup(arg.get(JAVA_INT_UNALIGNED, 0));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        try {
            arg.set(JAVA_LONG_UNALIGNED, 8, obj.createMmapOffset());
        } finally {
            obj.put();
        }
        return 0;
    }

    /// `struct drm_mode_destroy_dumb { u32 handle; }`: a GEM_CLOSE.
    private static int destroyDumb(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        return gem(file).handleDelete(arg.get(JAVA_INT_UNALIGNED, 0));
    }

    /// `struct drm_prime_handle { u32 handle; u32 flags; s32 fd; }`: flags only `DRM_CLOEXEC`
    /// and `DRM_RDWR`.
    private static int handleToFd(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        int flags = arg.get(JAVA_INT_UNALIGNED, 4);
        if ((flags & ~(DRM_CLOEXEC | DRM_RDWR)) != 0) {
            throw KernelException.of(Errno.EINVAL);
        }
        GemObject obj = g.lookup(arg.get(JAVA_INT_UNALIGNED, 0));
        if (obj == null) {
            throw KernelException.of(Errno.ENOENT);
        }
        KFile buf;
        try {
            buf = file.state.export(obj);
        } finally {
            obj.put();
        }
        int fd = task.installFd(buf, flags & DRM_CLOEXEC);
        buf.put();
        if (fd < 0) {
            throw KernelException.of(Errno.ofCode(fd));
        }
        arg.set(JAVA_INT_UNALIGNED, 8, fd);
        return 0;
    }

    /// The reverse: `EBADF` for a closed fd, `EINVAL` for a file that is not a dma-buf.
    private static int fdToHandle(DrmFile<?> file, MemorySegment arg, Task task) throws KernelException {
        GemFile g = gem(file);
        KFile f = task.fget(arg.get(JAVA_INT_UNALIGNED, 8));
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
            arg.set(JAVA_INT_UNALIGNED, 0, file.primeHandle(g, buf.object()));
            return 0;
        } finally {
            f.put();
        }
    }
}
