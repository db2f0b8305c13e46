package dev.gpuemu.kernel.drivers.tyr;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DriverFeatures;
import dev.gpuemu.kernel.drm.DriverInfo;
import dev.gpuemu.kernel.drm.DrmDevice;
import dev.gpuemu.kernel.drm.DrmDriver;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.drm.RegisteredDevice;
import dev.gpuemu.kernel.drm.ioctl.IoctlDesc;
import dev.gpuemu.kernel.drm.ioctl.IoctlFlags;
import dev.gpuemu.kernel.drm.ioctl.IoctlTable;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;

/// Tyr's DRM driver: device name `panthor` 1.5.0 (so panthor userspace recognises it),
/// `DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ`, and the ioctl table from `DRM_COMMAND_BASE`.
///
/// Implemented so far: `DRM_IOCTL_PANTHOR_DEV_QUERY` (0x40) with panthor's semantics: types
/// `GPU_INFO`, `CSIF_INFO`, `TIMESTAMP_INFO`, `GROUP_PRIORITIES_INFO`; `pointer == 0` returns the
/// structure size in `size`; otherwise `min(size, actual)` bytes are copied and `size` is set to
/// the actual size; a non-zero `pointer` with a faulting range is `EFAULT`; unknown type `EINVAL`.
/// The other panthor ioctls (0x41..) are not in the table yet, so `drm_ioctl` answers `EINVAL`
/// as for upstream Tyr.
///
/// ## Thread safety
/// Stateless.
public final class TyrDrm implements DrmDriver<TyrDrm.Data, TyrRegistration, TyrFile> {
    public static final DriverInfo INFO = new DriverInfo(1, 5, 0, "panthor", "ARM Mali Tyr DRM driver");

    /// `struct drm_panthor_dev_query` (16 bytes).
    public static final MemoryLayout DEV_QUERY = MemoryLayout.structLayout(JAVA_INT.withName("type"),
            JAVA_INT.withName("size"), JAVA_LONG.withName("pointer"));
    public static final int DEV_QUERY_GPU_INFO = 0;
    public static final int DEV_QUERY_CSIF_INFO = 1;
    public static final int DEV_QUERY_TIMESTAMP_INFO = 2;
    public static final int DEV_QUERY_GROUP_PRIORITIES_INFO = 3;
    static final int CSIF_INFO_SIZE = 24;
    static final int TIMESTAMP_INFO_SIZE = 24;
    static final int GROUP_PRIORITIES_INFO_SIZE = 4;
    /// `PANTHOR_GROUP_PRIORITY_LOW | MEDIUM` allowed for unprivileged files.
    static final int ALLOWED_PRIORITIES = 0b0011;

    /// Driver data living in the DRM device (may outlive unbind): only immutable facts.
    ///
    /// @param info the GPU info read at probe
    public record Data(GpuInfo info) {
    }

    /// What probe hands out about the DRM device: its `Normal` view and node paths.
    ///
    /// @param device the DRM device
    /// @param primaryNode `/dev/dri/cardN`
    /// @param renderNode `/dev/dri/renderDN`
    public record Handle(DrmDevice<Data, TyrRegistration> device, String primaryNode, String renderNode) {
    }

    private final IoctlTable<Data, TyrRegistration, TyrFile> ioctls = IoctlTable.of(
            IoctlDesc.iowr("DRM_IOCTL_PANTHOR_DEV_QUERY", 0x40, DEV_QUERY, IoctlFlags.DRM_RENDER_ALLOW, TyrDrm::devQuery));

    @Override
    public DriverInfo info() {
        return INFO;
    }

    @Override
    public int features() {
        return DriverFeatures.DRIVER_GEM | DriverFeatures.DRIVER_RENDER | DriverFeatures.DRIVER_SYNCOBJ;
    }

    @Override
    public IoctlTable<Data, TyrRegistration, TyrFile> ioctls() {
        return ioctls;
    }

    @Override
    public TyrFile openFile(DrmDevice<Data, TyrRegistration> dev) {
        return new TyrFile();
    }

    private static int devQuery(RegisteredDevice<Data, TyrRegistration> dev, TyrRegistration data, MemorySegment arg,
                                DrmFile<TyrFile> file, Task task) throws KernelException {
        int type = arg.get(JAVA_INT, 0);
        long pointer = arg.get(JAVA_LONG, 8);
        int actual = switch (type) {
            case DEV_QUERY_GPU_INFO -> GpuInfo.UAPI_SIZE;
            case DEV_QUERY_CSIF_INFO -> CSIF_INFO_SIZE;
            case DEV_QUERY_TIMESTAMP_INFO -> TIMESTAMP_INFO_SIZE;
            case DEV_QUERY_GROUP_PRIORITIES_INFO -> GROUP_PRIORITIES_INFO_SIZE;
            default -> throw new KernelException(Errno.EINVAL, "unknown query type " + type);
        };
        if (pointer == 0) {
            arg.set(JAVA_INT, 4, actual);
            return 0;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(actual);
            switch (type) {
                case DEV_QUERY_GPU_INFO -> gpuInfo(data.gpuInfo(), out);
                case DEV_QUERY_CSIF_INFO -> csifInfo(data, out);
                case DEV_QUERY_TIMESTAMP_INFO -> timestampInfo(data, out);
                default -> out.set(JAVA_BYTE, 0, (byte) ALLOWED_PRIORITIES);
            }
            long n = Math.min(Integer.toUnsignedLong(arg.get(JAVA_INT, 4)), actual);
            if (n > 0 && !task.copyToUser(pointer, out, 0, n)) {
                throw KernelException.of(Errno.EFAULT);
            }
        }
        arg.set(JAVA_INT, 4, actual);
        return 0;
    }

    /// `struct drm_panthor_gpu_info` (104 bytes, kernel-semantics §5.6).
    static void gpuInfo(GpuInfo g, MemorySegment out) {
        int[] words = {g.gpuId(), g.gpuRev(), g.csfId(), g.l2Features(), g.tilerFeatures(), g.memFeatures(),
            g.mmuFeatures(), g.threadFeatures(), g.maxThreads(), g.threadMaxWorkgroupSize(), g.threadMaxBarrierSize(),
            g.coherencyFeatures()};
        for (int i = 0; i < words.length; i++) {
            out.set(JAVA_INT, 4L * i, words[i]);
        }
        int[] tex = g.textureFeatures();
        for (int i = 0; i < 4; i++) {
            out.set(JAVA_INT, 48 + 4L * i, tex[i]);
        }
        out.set(JAVA_INT, 64, g.asPresent());
        out.set(JAVA_LONG, 72, g.shaderPresent());
        out.set(JAVA_LONG, 80, g.l2Present());
        out.set(JAVA_LONG, 88, g.tilerPresent());
        out.set(JAVA_INT, 96, g.coreFeatures());
    }

    /// `struct drm_panthor_csif_info`: slot counts from the firmware's GLB/CSG control blocks.
    static void csifInfo(TyrRegistration data, MemorySegment out) {
        var fw = data.fw();
        int csgSlots = fw.glb().groupNum();
        int csSlots = csgSlots == 0 ? 0 : fw.csgControlWord(0, CsfIface.Csg.STREAM_NUM);
        int csFeatures = csSlots == 0 ? 0 : fw.readOutput(fw.csgControl(0)
                + CsfIface.STREAM_CONTROL_OFFSET + CsfIface.Cs.FEATURES);
        out.set(JAVA_INT, 0, csgSlots);
        out.set(JAVA_INT, 4, csSlots);
        out.set(JAVA_INT, 8, CsfIface.Cs.workRegs(csFeatures));
        out.set(JAVA_INT, 12, CsfIface.Cs.scoreboards(csFeatures));
        out.set(JAVA_INT, 16, 32); // unpreserved_cs_reg_count: panthor's fixed value
    }

    /// `struct drm_panthor_timestamp_info`: frequency, current value, offset.
    static void timestampInfo(TyrRegistration data, MemorySegment out) {
        out.set(JAVA_LONG, 0, MaliRegs.TIMESTAMP_HZ);
        out.set(JAVA_LONG, 8, GpuRegs.read64Counter(data.io(), MaliReg.TIMESTAMP));
        out.set(JAVA_LONG, 16, GpuRegs.read64(data.io(), MaliReg.TIMESTAMP_OFFSET));
    }
}
