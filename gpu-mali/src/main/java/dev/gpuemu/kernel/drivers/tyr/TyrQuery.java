package dev.gpuemu.kernel.drivers.tyr;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.drm.DrmFile;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.panthor.PanthorDrm;
import dev.gpuemu.kernel.uapi.panthor.PanthorQuery;
import dev.gpuemu.kernel.vfs.Task;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/// `DRM_IOCTL_PANTHOR_DEV_QUERY` (`panthor_ioctl_dev_query`), on the [PanthorQuery] layouts.
///
/// - `pointer == 0`: `size` = the kernel's struct size; unknown `type` → `EINVAL`.
/// - otherwise `PANTHOR_UOBJ_SET`: `size` below the struct's minimal size (the end of its last
///   mandatory field: GPU_INFO 96, CSIF_INFO 24, TIMESTAMP_INFO 16, GROUP_PRIORITIES_INFO 4) →
///   `EINVAL`, so a zero size is `EINVAL`; `min(size, sizeof)` bytes are copied, and a user struct
///   larger than the kernel's has its tail cleared (a newer userspace sees zeros, never stale
///   bytes); a faulting range → `EFAULT`. `size` is not written back (as panthor; the reference
///   note saying it is updated does not match `panthor_set_uobj`).
/// - padding of the results (`pad0`/`pad` of GPU_INFO, `pad` of CSIF_INFO, `pad[3]` of
///   GROUP_PRIORITIES_INFO) is always zero.
///
/// ## Thread safety
/// Stateless; reads the device through the bound [TyrRegistration].
final class TyrQuery {
    /// `PANTHOR_UOBJ_MIN_SIZE`: the end of `tiler_present`.
    static final int GPU_INFO_MIN = (int) PanthorQuery.GpuInfo.LAYOUT.byteOffset(groupElement("core_features"));
    static final int CSIF_INFO_MIN = (int) PanthorQuery.CsifInfo.LAYOUT.byteSize();
    /// The end of `current_timestamp`.
    static final int TIMESTAMP_INFO_MIN = (int) PanthorQuery.TimestampInfo.LAYOUT.byteOffset(
            groupElement("timestamp_offset"));
    static final int GROUP_PRIORITIES_INFO_MIN = (int) PanthorQuery.GroupPrioritiesInfo.LAYOUT.byteSize();
    /// `PANTHOR_GROUP_PRIORITY_LOW | MEDIUM`: what a file that is not DRM master may use.
    static final int UNPRIVILEGED_PRIORITIES = 1 << PanthorDrm.PANTHOR_GROUP_PRIORITY_LOW
            | 1 << PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM;
    static final int ALL_PRIORITIES = UNPRIVILEGED_PRIORITIES | 1 << PanthorDrm.PANTHOR_GROUP_PRIORITY_HIGH
            | 1 << PanthorDrm.PANTHOR_GROUP_PRIORITY_REALTIME;
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[4096]);

    private TyrQuery() {
    }

    static int devQuery(TyrRegistration data, MemorySegment arg, DrmFile<TyrFile> file, Task task) throws KernelException {
        int type = (int) PanthorQuery.DevQuery.TYPE.get(arg);
        long pointer = (long) PanthorQuery.DevQuery.POINTER.get(arg);
        StructLayout layout;
        int minSize;
        switch (type) {
            case PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO -> {
                layout = PanthorQuery.GpuInfo.LAYOUT;
                minSize = GPU_INFO_MIN;
            }
            case PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO -> {
                layout = PanthorQuery.CsifInfo.LAYOUT;
                minSize = CSIF_INFO_MIN;
            }
            case PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO -> {
                layout = PanthorQuery.TimestampInfo.LAYOUT;
                minSize = TIMESTAMP_INFO_MIN;
            }
            case PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO -> {
                layout = PanthorQuery.GroupPrioritiesInfo.LAYOUT;
                minSize = GROUP_PRIORITIES_INFO_MIN;
            }
            default -> throw new KernelException(Errno.EINVAL, "unknown query type " + type);
        }
        int kernSize = (int) layout.byteSize();
        if (pointer == 0) {
            PanthorQuery.DevQuery.SIZE.set(arg, kernSize);
            return 0;
        }
        long usrSize = Integer.toUnsignedLong((int) PanthorQuery.DevQuery.SIZE.get(arg));
        if (usrSize < minSize) {
            throw new KernelException(Errno.EINVAL, "query size " + usrSize + " below " + minSize);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(layout); // zeroed: every pad reads 0
            switch (type) {
                case PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO -> gpuInfo(data.gpuInfo(), out);
                case PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO -> csifInfo(data, out);
                case PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO -> timestampInfo(data, out);
                default -> PanthorQuery.GroupPrioritiesInfo.ALLOWED_MASK.set(out,
                        (byte) (file.isMaster() ? ALL_PRIORITIES : UNPRIVILEGED_PRIORITIES));
            }
            if (!task.copyToUser(pointer, out, 0, Math.min(usrSize, kernSize))) {
                throw KernelException.of(Errno.EFAULT);
            }
        }
        for (long at = kernSize; at < usrSize; at += ZEROS.byteSize()) {
            if (!task.copyToUser(pointer + at, ZEROS, 0, Math.min(ZEROS.byteSize(), usrSize - at))) {
                throw KernelException.of(Errno.EFAULT);
            }
        }
        return 0;
    }

    /// `struct drm_panthor_gpu_info`.
    static void gpuInfo(GpuInfo g, MemorySegment out) {
        PanthorQuery.GpuInfo.GPU_ID.set(out, g.gpuId());
        PanthorQuery.GpuInfo.GPU_REV.set(out, g.gpuRev());
        PanthorQuery.GpuInfo.CSF_ID.set(out, g.csfId());
        PanthorQuery.GpuInfo.L2_FEATURES.set(out, g.l2Features());
        PanthorQuery.GpuInfo.TILER_FEATURES.set(out, g.tilerFeatures());
        PanthorQuery.GpuInfo.MEM_FEATURES.set(out, g.memFeatures());
        PanthorQuery.GpuInfo.MMU_FEATURES.set(out, g.mmuFeatures());
        PanthorQuery.GpuInfo.THREAD_FEATURES.set(out, g.threadFeatures());
        PanthorQuery.GpuInfo.MAX_THREADS.set(out, g.maxThreads());
        PanthorQuery.GpuInfo.THREAD_MAX_WORKGROUP_SIZE.set(out, g.threadMaxWorkgroupSize());
        PanthorQuery.GpuInfo.THREAD_MAX_BARRIER_SIZE.set(out, g.threadMaxBarrierSize());
        PanthorQuery.GpuInfo.COHERENCY_FEATURES.set(out, g.coherencyFeatures());
        int[] tex = g.textureFeatures();
        for (int i = 0; i < 4; i++) {
            PanthorQuery.GpuInfo.TEXTURE_FEATURES.set(out, (long) i, tex[i]);
        }
        PanthorQuery.GpuInfo.AS_PRESENT.set(out, g.asPresent());
        PanthorQuery.GpuInfo.SHADER_PRESENT.set(out, g.shaderPresent());
        PanthorQuery.GpuInfo.L2_PRESENT.set(out, g.l2Present());
        PanthorQuery.GpuInfo.TILER_PRESENT.set(out, g.tilerPresent());
        PanthorQuery.GpuInfo.CORE_FEATURES.set(out, g.coreFeatures());
    }

    /// `struct drm_panthor_csif_info`: slot counts from the firmware's GLB/CSG control blocks.
    static void csifInfo(TyrRegistration data, MemorySegment out) {
        var fw = data.fw();
        int csgSlots = fw.glb().groupNum();
        int csSlots = csgSlots == 0 ? 0 : fw.csgControlWord(0, CsfIface.Csg.STREAM_NUM);
        int csFeatures = csSlots == 0 ? 0 : fw.readOutput(fw.csgControl(0)
                + CsfIface.STREAM_CONTROL_OFFSET + CsfIface.Cs.FEATURES);
        PanthorQuery.CsifInfo.CSG_SLOT_COUNT.set(out, csgSlots);
        PanthorQuery.CsifInfo.CS_SLOT_COUNT.set(out, csSlots);
        PanthorQuery.CsifInfo.CS_REG_COUNT.set(out, CsfIface.Cs.workRegs(csFeatures));
        PanthorQuery.CsifInfo.SCOREBOARD_SLOT_COUNT.set(out, CsfIface.Cs.scoreboards(csFeatures));
        PanthorQuery.CsifInfo.UNPRESERVED_CS_REG_COUNT.set(out, UNPRESERVED_CS_REGS);
    }

    /// `unpreserved_cs_reg_count`: panthor's fixed value (registers 0..3 of the last 4 groups).
    static final int UNPRESERVED_CS_REGS = 4;

    /// `struct drm_panthor_timestamp_info`: frequency, current value, offset.
    static void timestampInfo(TyrRegistration data, MemorySegment out) {
        PanthorQuery.TimestampInfo.TIMESTAMP_FREQUENCY.set(out, MaliRegs.TIMESTAMP_HZ);
        PanthorQuery.TimestampInfo.CURRENT_TIMESTAMP.set(out, GpuRegs.read64Counter(data.io(), MaliReg.TIMESTAMP));
        PanthorQuery.TimestampInfo.TIMESTAMP_OFFSET.set(out, GpuRegs.read64(data.io(), MaliReg.TIMESTAMP_OFFSET));
    }
}
