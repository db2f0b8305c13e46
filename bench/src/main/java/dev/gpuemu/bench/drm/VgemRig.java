package dev.gpuemu.bench.drm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.MachineReport;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drivers.vgem.Vgem;
import dev.gpuemu.kernel.drm.DrmCore;
import dev.gpuemu.kernel.drm.GuardStrategy;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.kernel.uapi.drm.DrmCap;
import dev.gpuemu.kernel.uapi.drm.DrmDumb;
import dev.gpuemu.kernel.uapi.drm.DrmGem;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmVersion;
import dev.gpuemu.kernel.uapi.drm.VgemDrm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.function.Consumer;

/// What the ioctl benchmarks run against, set up once per trial: a booted machine whose DRM core
/// has the requested guard configuration, vgem (`Vgem.init`), one process with the render node
/// open (and the primary node, for the dumb-buffer ioctls, which are not `DRM_RENDER_ALLOW` in
/// Linux either: `EACCES` on a render node), and every argument struct already in the process's memory (written with the
/// `kernel.uapi.drm` VarHandles into a scratch segment, then copied in through [UserMemory]).
/// A benchmark op is one `ioctl(2)` per call and allocates nothing itself.
///
/// ## Thread safety
/// Built and closed on one thread; the ioctls may come from any thread (one at a time per struct).
///
/// ## Lifecycle
/// [#boot] → [#close] once; close fails when the machine report is not clean (leaks, oopses, clock failures).
final class VgemRig implements AutoCloseable {
    static final String RENDER = "/dev/dri/renderD128";
    static final String PRIMARY = "/dev/dri/card0";
    /// `drm_mode_create_dumb` for 4 KiB: 1 × 1024 pixels of 32 bpp.
    static final int DUMB_WIDTH = 1024;
    static final long CREATE_HANDLE = DrmDumb.Create.LAYOUT.byteOffset(groupElement("handle"));
    static final long CREATE_SIZE = DrmDumb.Create.LAYOUT.byteOffset(groupElement("size"));
    static final long CLOSE_HANDLE = DrmGem.Close.LAYOUT.byteOffset(groupElement("handle"));
    static final long CAP_VALUE = DrmCap.GetCap.LAYOUT.byteOffset(groupElement("value"));
    /// `name_len` .. `desc` of `drm_version`: the three (length, pointer) pairs.
    static final long VERSION_LENGTHS = DrmVersion.LAYOUT.byteOffset(groupElement("name_len"));
    static final long VERSION_LENGTHS_SIZE = DrmVersion.LAYOUT.byteSize() - VERSION_LENGTHS;
    /// A fence id no file ever has: FENCE_SIGNAL answers ENOENT from inside the handler.
    static final int NO_SUCH_FENCE = 0x7fff_fff0;

    final Machine machine;
    final Vgem vgem;
    final Syscalls proc;
    final UserMemory mem;
    /// The render node.
    final int fd;
    /// The primary node (this process is its master).
    final int primaryFd;
    /// User addresses of the argument structs.
    final long versionNull;
    final long versionStrings;
    final long getCap;
    final long createDumb;
    final long gemClose;
    final long fenceSignal;
    private boolean closed;

    private VgemRig(Machine machine, Vgem vgem, Syscalls proc, int fd, int primaryFd, long base) {
        this.machine = machine;
        this.vgem = vgem;
        this.proc = proc;
        this.mem = proc.memory();
        this.fd = fd;
        this.primaryFd = primaryFd;
        this.versionNull = base;
        this.versionStrings = base + 64;
        this.getCap = base + 128;
        this.createDumb = base + 192;
        this.gemClose = base + 256;
        this.fenceSignal = base + 320;
        long strings = base + 1024;
        put(versionNull, DrmVersion.LAYOUT, s -> { }); // all lengths 0: the null form
        put(versionStrings, DrmVersion.LAYOUT, s -> {
            DrmVersion.NAME_LEN.set(s, 64L);
            DrmVersion.NAME.set(s, strings);
            DrmVersion.DATE_LEN.set(s, 64L);
            DrmVersion.DATE.set(s, strings + 64);
            DrmVersion.DESC_LEN.set(s, 64L);
            DrmVersion.DESC.set(s, strings + 128);
        });
        put(getCap, DrmCap.GetCap.LAYOUT, s -> DrmCap.GetCap.CAPABILITY.set(s, DrmCap.DRM_CAP_PRIME));
        put(createDumb, DrmDumb.Create.LAYOUT, s -> {
            DrmDumb.Create.HEIGHT.set(s, 1);
            DrmDumb.Create.WIDTH.set(s, DUMB_WIDTH);
            DrmDumb.Create.BPP.set(s, 32);
        });
        put(gemClose, DrmGem.Close.LAYOUT, s -> { });
        put(fenceSignal, VgemDrm.FenceSignal.LAYOUT, s -> VgemDrm.FenceSignal.FENCE.set(s, NO_SUCH_FENCE));
    }

    /// Boots a machine with `guard` (and core ioctls guarded or not), loads vgem, spawns a process
    /// and opens the render node; checks once that every benchmarked ioctl answers as expected.
    static VgemRig boot(GuardStrategy guard, boolean coreGuarded) throws KernelException {
        Machine machine = Machine.builder().build();
        machine.boot();
        Kernel kernel = machine.kernel();
        DrmCore core = DrmCore.of(kernel);
        core.setGuardStrategy(guard);
        core.setGuardCoreIoctls(coreGuarded);
        Vgem vgem = Vgem.init(kernel);
        Syscalls proc = kernel.spawn("ioctl-bench", false);
        int fd = proc.open(RENDER, Fcntl.O_RDWR);
        int primaryFd = proc.open(PRIMARY, Fcntl.O_RDWR);
        long base = proc.mmap(0, 4096, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        if (fd < 0 || primaryFd < 0 || base < 0 && base > -4096) {
            throw new IllegalStateException("bench setup failed: open " + fd + "/" + primaryFd + ", mmap " + base);
        }
        VgemRig rig = new VgemRig(machine, vgem, proc, fd, primaryFd, base);
        rig.selfCheck();
        return rig;
    }

    /// Each benchmark op twice (the second time with the first call's outputs as inputs, as in
    /// the measurement loop) with its expected answer, so a benchmark never measures an
    /// unexpected error path.
    private void selfCheck() {
        for (int i = 0; i < 2; i++) {
            expect("VERSION (null form)", 0, version());
            expect("VERSION (strings)", 0, versionStrings());
            expect("GET_CAP", 0, getCap());
            expect("GET_CAP value", (int) (DrmCap.DRM_PRIME_CAP_IMPORT | DrmCap.DRM_PRIME_CAP_EXPORT),
                    (int) mem.getLong(getCap + CAP_VALUE));
            expect("MODE_CREATE_DUMB + GEM_CLOSE", 0, createClose());
            expect("MODE_CREATE_DUMB size", 4096, (int) mem.getLong(createDumb + CREATE_SIZE));
            expect("VGEM_FENCE_SIGNAL", Errno.ENOENT.negative(), fenceSignal());
        }
        expect("GEM_CLOSE again", Errno.EINVAL.negative(), proc.ioctl(primaryFd, DrmIoctls.GEM_CLOSE, gemClose));
        expect("MODE_CREATE_DUMB on the render node", Errno.EACCES.negative(),
                proc.ioctl(fd, DrmIoctls.MODE_CREATE_DUMB, createDumb));
    }

    /// `DRM_IOCTL_VERSION`, null form. The kernel writes the full string lengths back, so the
    /// lengths (and the null pointers between them) are zeroed first: one 48-byte user store.
    int version() {
        mem.fill(versionNull + VERSION_LENGTHS, VERSION_LENGTHS_SIZE, (byte) 0);
        return proc.ioctl(fd, DrmIoctls.VERSION, versionNull);
    }

    /// `DRM_IOCTL_VERSION` with string buffers; the lengths the kernel writes back (the full
    /// lengths) are the inputs of the next call, so every call copies the whole strings.
    int versionStrings() {
        return proc.ioctl(fd, DrmIoctls.VERSION, versionStrings);
    }

    /// `DRM_IOCTL_GET_CAP(DRM_CAP_PRIME)`.
    int getCap() {
        return proc.ioctl(fd, DrmIoctls.GET_CAP, getCap);
    }

    /// `DRM_IOCTL_VGEM_FENCE_SIGNAL` of a fence that does not exist: `-ENOENT`.
    int fenceSignal() {
        return proc.ioctl(fd, VgemDrm.FENCE_SIGNAL, fenceSignal);
    }

    /// `MODE_CREATE_DUMB` (4 KiB) then `GEM_CLOSE` of the new handle, on the primary node: 0, or
    /// the first errno.
    int createClose() {
        int ret = proc.ioctl(primaryFd, DrmIoctls.MODE_CREATE_DUMB, createDumb);
        if (ret != 0) {
            return ret;
        }
        mem.putInt(gemClose + CLOSE_HANDLE, mem.getInt(createDumb + CREATE_HANDLE));
        return proc.ioctl(primaryFd, DrmIoctls.GEM_CLOSE, gemClose);
    }

    private static void expect(String what, int expected, int actual) {
        if (expected != actual) {
            throw new IllegalStateException("bench self-check: " + what + " gave " + actual + ", expected " + expected);
        }
    }

    private void put(long va, StructLayout layout, Consumer<MemorySegment> fill) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(layout);
            fill.accept(s);
            mem.write(va, s, 0, s.byteSize());
        }
    }

    /// Closes the fd and the process, unloads vgem (unplug) and closes the machine; throws when
    /// the machine report is not clean (leaks, oopses, clock failures).
    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("rig already closed");
        }
        closed = true;
        proc.close(fd);
        proc.close(primaryFd);
        proc.close();
        vgem.close();
        machine.close();
        checkClean(machine.report());
    }

    static void checkClean(MachineReport r) {
        if (!r.clean()) {
            throw new IllegalStateException("unclean teardown: " + r);
        }
    }
}
