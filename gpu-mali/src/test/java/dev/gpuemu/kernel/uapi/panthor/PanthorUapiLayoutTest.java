package dev.gpuemu.kernel.uapi.panthor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// The panthor layouts are byte-exact copies of `panthor_drm.h` (driver 1.5): sizes, the offset
/// of every field (nested obj_array members included), no implicit padding anywhere, ioctl
/// numbers against kernel-semantics §5.6, and the header's constants and decode macros.
class PanthorUapiLayoutTest {

    /// struct → size, then field → offset, in declaration order (offsets worked out by hand from
    /// the C header with LP64 alignment rules).
    private static final Map<String, Object[]> EXPECTED = new LinkedHashMap<>();

    private static void expect(String struct, long size, Object... fieldOffsets) {
        Object[] row = new Object[fieldOffsets.length + 1];
        row[0] = size;
        System.arraycopy(fieldOffsets, 0, row, 1, fieldOffsets.length);
        EXPECTED.put(struct, row);
    }

    static {
        expect("drm_panthor_obj_array", 16, "stride", 0, "count", 4, "array", 8);
        expect("drm_panthor_sync_op", 16, "flags", 0, "handle", 4, "timeline_value", 8);
        expect("drm_panthor_gpu_info", 104, "gpu_id", 0, "gpu_rev", 4, "csf_id", 8, "l2_features", 12,
                "tiler_features", 16, "mem_features", 20, "mmu_features", 24, "thread_features", 28,
                "max_threads", 32, "thread_max_workgroup_size", 36, "thread_max_barrier_size", 40,
                "coherency_features", 44, "texture_features", 48, "as_present", 64, "pad0", 68,
                "shader_present", 72, "l2_present", 80, "tiler_present", 88, "core_features", 96, "pad", 100);
        expect("drm_panthor_csif_info", 24, "csg_slot_count", 0, "cs_slot_count", 4, "cs_reg_count", 8,
                "scoreboard_slot_count", 12, "unpreserved_cs_reg_count", 16, "pad", 20);
        expect("drm_panthor_timestamp_info", 24, "timestamp_frequency", 0, "current_timestamp", 8,
                "timestamp_offset", 16);
        expect("drm_panthor_group_priorities_info", 4, "allowed_mask", 0, "pad", 1);
        expect("drm_panthor_dev_query", 16, "type", 0, "size", 4, "pointer", 8);
        expect("drm_panthor_vm_create", 16, "flags", 0, "id", 4, "user_va_range", 8);
        expect("drm_panthor_vm_destroy", 8, "id", 0, "pad", 4);
        expect("drm_panthor_vm_bind_op", 48, "flags", 0, "bo_handle", 4, "bo_offset", 8, "va", 16, "size", 24,
                "syncs", 32);
        expect("drm_panthor_vm_bind", 24, "vm_id", 0, "flags", 4, "ops", 8);
        expect("drm_panthor_vm_get_state", 8, "vm_id", 0, "state", 4);
        expect("drm_panthor_bo_create", 24, "size", 0, "flags", 8, "exclusive_vm_id", 12, "handle", 16, "pad", 20);
        expect("drm_panthor_bo_mmap_offset", 16, "handle", 0, "pad", 4, "offset", 8);
        expect("drm_panthor_queue_create", 8, "priority", 0, "pad", 1, "ringbuf_size", 4);
        expect("drm_panthor_group_create", 56, "queues", 0, "max_compute_cores", 16, "max_fragment_cores", 17,
                "max_tiler_cores", 18, "priority", 19, "pad", 20, "compute_core_mask", 24, "fragment_core_mask", 32,
                "tiler_core_mask", 40, "vm_id", 48, "group_handle", 52);
        expect("drm_panthor_group_destroy", 8, "group_handle", 0, "pad", 4);
        expect("drm_panthor_queue_submit", 40, "queue_index", 0, "stream_size", 4, "stream_addr", 8,
                "latest_flush", 16, "pad", 20, "syncs", 24);
        expect("drm_panthor_group_submit", 24, "group_handle", 0, "pad", 4, "queue_submits", 8);
        expect("drm_panthor_group_get_state", 16, "group_handle", 0, "state", 4, "fatal_queues", 8, "pad", 12);
        expect("drm_panthor_tiler_heap_create", 40, "vm_id", 0, "initial_chunk_count", 4, "chunk_size", 8,
                "max_chunks", 12, "target_in_flight", 16, "handle", 20, "tiler_heap_ctx_gpu_va", 24,
                "first_heap_chunk_gpu_va", 32);
        expect("drm_panthor_tiler_heap_destroy", 8, "handle", 0, "pad", 4);
        expect("drm_panthor_bo_set_label", 16, "handle", 0, "pad", 4, "label", 8);
        expect("drm_panthor_set_user_mmio_offset", 8, "offset", 0);
    }

    /// kernel-semantics §5.6, column `cmd`.
    private static final Map<String, Integer> EXPECTED_CMDS = new LinkedHashMap<>();

    static {
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_DEV_QUERY", 0xC0106440);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_VM_CREATE", 0xC0106441);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_VM_DESTROY", 0xC0086442);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_VM_BIND", 0xC0186443);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_VM_GET_STATE", 0xC0086444);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_BO_CREATE", 0xC0186445);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_BO_MMAP_OFFSET", 0xC0106446);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_GROUP_CREATE", 0xC0386447);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_GROUP_DESTROY", 0xC0086448);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_GROUP_SUBMIT", 0xC0186449);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_GROUP_GET_STATE", 0xC010644A);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_TILER_HEAP_CREATE", 0xC028644B);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_TILER_HEAP_DESTROY", 0xC008644C);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_BO_SET_LABEL", 0xC010644D);
        EXPECTED_CMDS.put("DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET", 0xC008644E);
    }

    @Test
    void shouldMatchTheExpectedSizeAndEveryFieldOffsetOfEveryStruct() {
        assertEquals(EXPECTED.keySet().stream().toList(), PanthorDrm.STRUCTS.stream().map(UapiStruct::name).toList());
        for (UapiStruct s : PanthorDrm.STRUCTS) {
            Object[] row = EXPECTED.get(s.name());
            assertEquals(((Number) row[0]).longValue(), s.layout().byteSize(), s.name() + " size");
            List<String> fields = new ArrayList<>();
            for (int i = 1; i < row.length; i += 2) {
                String f = (String) row[i];
                fields.add(f);
                assertEquals(((Number) row[i + 1]).longValue(), s.offsetOf(f), s.name() + "." + f);
            }
            assertEquals(fields, s.fields(), s.name() + " members");
        }
    }

    @Test
    void shouldHaveNoImplicitPaddingAndEightByteAlignmentWhereTheHeaderRequiresIt() {
        for (UapiStruct s : PanthorDrm.STRUCTS) {
            long sum = 0;
            for (MemoryLayout m : s.layout().memberLayouts()) {
                assertTrue(!(m instanceof PaddingLayout), s.name() + " has an unnamed padding member");
                assertEquals(0, sum % m.byteAlignment(), s.name() + "." + m.name().orElse("?") + " misaligned");
                sum += m.byteSize();
            }
            assertEquals(s.layout().byteSize(), sum, s.name() + ": members must cover the struct");
            assertEquals(0, s.layout().byteSize() % s.layout().byteAlignment(), s.name() + " tail padding");
            assertEquals(widestScalar(s.layout()), s.layout().byteAlignment(), s.name() + " alignment");
        }
    }

    /// C aligns a struct to its widest scalar member (8 with any `__u64`, 1 for all-`__u8`).
    private static long widestScalar(MemoryLayout layout) {
        return switch (layout) {
            case GroupLayout g -> g.memberLayouts().stream().mapToLong(PanthorUapiLayoutTest::widestScalar).max()
                    .orElse(1);
            case SequenceLayout seq -> widestScalar(seq.elementLayout());
            default -> layout.byteSize();
        };
    }

    @Test
    void shouldPlaceNestedObjArrayMembersAtTheirCOffsets() {
        assertEquals(32, offset(PanthorVm.BindOp.LAYOUT, "syncs", "stride"));
        assertEquals(36, offset(PanthorVm.BindOp.LAYOUT, "syncs", "count"));
        assertEquals(40, offset(PanthorVm.BindOp.LAYOUT, "syncs", "array"));
        assertEquals(16, offset(PanthorVm.Bind.LAYOUT, "ops", "array"));
        assertEquals(4, offset(PanthorGroup.Create.LAYOUT, "queues", "count"));
        assertEquals(32, offset(PanthorGroup.QueueSubmit.LAYOUT, "syncs", "array"));
        assertEquals(24, offset(PanthorGroup.QueueSubmit.LAYOUT, "syncs", "stride"));
        assertEquals(12, offset(PanthorGroup.Submit.LAYOUT, "queue_submits", "count"));
        SequenceLayout tex = (SequenceLayout) PanthorQuery.GpuInfo.LAYOUT.select(PathElement.groupElement("texture_features"));
        assertEquals(4, tex.elementCount());
        assertEquals(4, tex.elementLayout().byteSize());
        SequenceLayout pad = (SequenceLayout) PanthorGroup.QueueCreate.LAYOUT.select(PathElement.groupElement("pad"));
        assertEquals(3, pad.elementCount());
        assertEquals(1, pad.elementLayout().byteSize());
    }

    private static long offset(GroupLayout layout, String... path) {
        return layout.byteOffset(java.util.Arrays.stream(path).map(PathElement::groupElement).toArray(PathElement[]::new));
    }

    @Test
    void shouldMatchEveryIoctlNumberOfTheReference() {
        assertEquals(EXPECTED_CMDS.keySet().stream().toList(), PanthorDrm.ALL.stream().map(DrmIoctl::name).toList());
        int id = 0;
        for (DrmIoctl io : PanthorDrm.ALL) {
            assertEquals(Ioc.toString(EXPECTED_CMDS.get(io.name())), Ioc.toString(io.cmd()), io.name());
            assertEquals(Ioc.DRM_TYPE, Ioc.type(io.cmd()));
            assertEquals(Ioc.READ | Ioc.WRITE, Ioc.dir(io.cmd()), io.name() + " is DRM_IOWR");
            assertEquals(DrmIoctls.DRM_COMMAND_BASE + id++, io.nr(), io.name() + " nr");
            assertTrue(DrmIoctls.isDriverIoctl(io.nr()));
            assertEquals(io.arg().byteSize(), Ioc.size(io.cmd()), io.name() + " size");
        }
        assertEquals(List.of(PanthorDrm.DEV_QUERY, PanthorDrm.VM_CREATE, PanthorDrm.VM_DESTROY, PanthorDrm.VM_BIND,
                PanthorDrm.VM_GET_STATE, PanthorDrm.BO_CREATE, PanthorDrm.BO_MMAP_OFFSET, PanthorDrm.GROUP_CREATE,
                PanthorDrm.GROUP_DESTROY, PanthorDrm.GROUP_SUBMIT, PanthorDrm.GROUP_GET_STATE,
                PanthorDrm.TILER_HEAP_CREATE, PanthorDrm.TILER_HEAP_DESTROY, PanthorDrm.BO_SET_LABEL,
                PanthorDrm.SET_USER_MMIO_OFFSET), PanthorDrm.ALL.stream().map(DrmIoctl::cmd).toList());
        assertEquals(14, PanthorDrm.DRM_PANTHOR_SET_USER_MMIO_OFFSET);
    }

    @Test
    void shouldCarryEveryDirectArgumentStructByItsOwnIoctl() {
        for (DrmIoctl io : PanthorDrm.ALL) {
            UapiStruct s = PanthorDrm.STRUCTS.stream().filter(x -> x.layout() == io.arg()).findFirst().orElseThrow();
            assertEquals(s.layout().byteSize(), Ioc.size(s.cmd()), s.name());
        }
    }

    @Test
    void shouldMatchTheConstantsOfTheHeader() {
        assertEquals(1L << 43, PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_32BIT);
        assertEquals(0x0100_0000_0000_0000L, PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT);
        assertEquals(PanthorDrm.DRM_PANTHOR_USER_MMIO_OFFSET_64BIT, PanthorDrm.DRM_PANTHOR_USER_FLUSH_ID_MMIO_OFFSET);
        assertEquals(0xff, PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_MASK);
        assertEquals(1, PanthorDrm.DRM_PANTHOR_SYNC_OP_HANDLE_TYPE_TIMELINE_SYNCOBJ);
        assertEquals(0x8000_0000, PanthorDrm.DRM_PANTHOR_SYNC_OP_SIGNAL);
        assertEquals(0, PanthorDrm.DRM_PANTHOR_SYNC_OP_WAIT);
        assertEquals(List.of(0, 1, 2, 3), List.of(PanthorDrm.DRM_PANTHOR_DEV_QUERY_GPU_INFO,
                PanthorDrm.DRM_PANTHOR_DEV_QUERY_CSIF_INFO, PanthorDrm.DRM_PANTHOR_DEV_QUERY_TIMESTAMP_INFO,
                PanthorDrm.DRM_PANTHOR_DEV_QUERY_GROUP_PRIORITIES_INFO));
        assertEquals(List.of(1, 2, 4), List.of(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_READONLY,
                PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_NOEXEC, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_MAP_UNCACHED));
        assertEquals(0xF000_0000, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MASK);
        assertEquals(List.of(0, 0x1000_0000, 0x2000_0000), List.of(PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_MAP,
                PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_SYNC_ONLY));
        assertEquals(1, PanthorDrm.DRM_PANTHOR_VM_BIND_ASYNC);
        assertEquals(List.of(0, 1), List.of(PanthorDrm.DRM_PANTHOR_VM_STATE_USABLE,
                PanthorDrm.DRM_PANTHOR_VM_STATE_UNUSABLE));
        assertEquals(1, PanthorDrm.DRM_PANTHOR_BO_NO_MMAP);
        assertEquals(List.of(0, 1, 2, 3), List.of(PanthorDrm.PANTHOR_GROUP_PRIORITY_LOW,
                PanthorDrm.PANTHOR_GROUP_PRIORITY_MEDIUM, PanthorDrm.PANTHOR_GROUP_PRIORITY_HIGH,
                PanthorDrm.PANTHOR_GROUP_PRIORITY_REALTIME));
        assertEquals(List.of(1, 2, 4), List.of(PanthorDrm.DRM_PANTHOR_GROUP_STATE_TIMEDOUT,
                PanthorDrm.DRM_PANTHOR_GROUP_STATE_FATAL_FAULT, PanthorDrm.DRM_PANTHOR_GROUP_STATE_INNOCENT));
        assertEquals(128 * 1024, PanthorTiler.CHUNK_SIZE_MIN);
        assertEquals(8 * 1024 * 1024, PanthorTiler.CHUNK_SIZE_MAX);
        assertEquals(4096, PanthorDrm.PANTHOR_BO_LABEL_MAXLEN);
    }

    @Test
    void shouldDecodeTheG610GpuIdLikeTheHeaderMacros() {
        int gpuId = 0xA8670005;
        assertEquals(0xA, PanthorDrm.archMajor(gpuId));
        assertEquals(0x8, PanthorDrm.archMinor(gpuId));
        assertEquals(0x6, PanthorDrm.archRev(gpuId));
        assertEquals(0x7, PanthorDrm.productMajor(gpuId));
        assertEquals(0, PanthorDrm.versionMajor(gpuId));
        assertEquals(0, PanthorDrm.versionMinor(gpuId));
        assertEquals(5, PanthorDrm.versionStatus(gpuId));
        assertEquals(0xff, PanthorDrm.versionMinor(0x0000_0ff0));
        int csfId = (0x3f << 26) | (0x15 << 20) | (0x9 << 16) | (0x2a << 10) | (0x31 << 4) | 0xc;
        assertEquals(0x3f, PanthorDrm.cshwMajor(csfId));
        assertEquals(0x15, PanthorDrm.cshwMinor(csfId));
        assertEquals(0x9, PanthorDrm.cshwRev(csfId));
        assertEquals(0x2a, PanthorDrm.mcuMajor(csfId));
        assertEquals(0x31, PanthorDrm.mcuMinor(csfId));
        assertEquals(0xc, PanthorDrm.mcuRev(csfId));
        assertEquals(0x30, PanthorDrm.mmuVaBits(0x2830));
    }

    @Test
    void shouldReadAndWriteFieldsLittleEndianThroughTheVarHandles() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(PanthorQuery.GpuInfo.LAYOUT);
            PanthorQuery.GpuInfo.GPU_ID.set(info, 0xA8670005);
            PanthorQuery.GpuInfo.TEXTURE_FEATURES.set(info, 3L, 0x1234);
            PanthorQuery.GpuInfo.SHADER_PRESENT.set(info, 0x50005L);
            PanthorQuery.GpuInfo.PAD.set(info, 7);
            assertEquals((byte) 0x05, info.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals((byte) 0xA8, info.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals((byte) 0x34, info.get(ValueLayout.JAVA_BYTE, 60));
            assertEquals((byte) 0x05, info.get(ValueLayout.JAVA_BYTE, 72));
            assertEquals((byte) 0x05, info.get(ValueLayout.JAVA_BYTE, 74));
            assertEquals((byte) 7, info.get(ValueLayout.JAVA_BYTE, 100));
            assertEquals(0x50005L, (long) PanthorQuery.GpuInfo.SHADER_PRESENT.get(info));

            MemorySegment op = arena.allocate(PanthorVm.BindOp.LAYOUT);
            PanthorVm.BindOp.FLAGS.set(op, PanthorDrm.DRM_PANTHOR_VM_BIND_OP_TYPE_UNMAP);
            PanthorVm.BindOp.SYNCS_COUNT.set(op, 2);
            PanthorVm.BindOp.SYNCS_ARRAY.set(op, 0x7f00_0000_1000L);
            assertEquals((byte) 0x10, op.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals((byte) 2, op.get(ValueLayout.JAVA_BYTE, 36));
            assertEquals((byte) 0x10, op.get(ValueLayout.JAVA_BYTE, 41));

            MemorySegment q = arena.allocate(PanthorGroup.QueueCreate.LAYOUT);
            PanthorGroup.QueueCreate.PRIORITY.set(q, (byte) 15);
            PanthorGroup.QueueCreate.PAD.set(q, 2L, (byte) 9);
            PanthorGroup.QueueCreate.RINGBUF_SIZE.set(q, 0x10000);
            assertEquals((byte) 15, q.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals((byte) 9, q.get(ValueLayout.JAVA_BYTE, 3));
            assertEquals((byte) 1, q.get(ValueLayout.JAVA_BYTE, 6));

            MemorySegment g = arena.allocate(PanthorGroup.Create.LAYOUT);
            PanthorGroup.Create.PRIORITY.set(g, (byte) 3);
            PanthorGroup.Create.GROUP_HANDLE.set(g, 0x0102_0304);
            assertEquals((byte) 3, g.get(ValueLayout.JAVA_BYTE, 19));
            assertEquals((byte) 4, g.get(ValueLayout.JAVA_BYTE, 52));
        }
    }
}
