package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The GPU additions of the language parse (the rk3588 example workloads, nested and array
/// fields, `alloc`/`free`, `struct`, `kdesc`) and bad input is a script error at its column.
class GpuWorkloadParseTest {

    private static ScriptException error(String text) {
        return assertThrows(ScriptException.class,
                () -> WorkloadParser.parse("s.wl", text, IoctlRegistry.standard()));
    }

    @Test
    void shouldParseTheRk3588ExampleWorkloads() throws Exception {
        for (String name : List.of("rk3588-gpu-info.wl", "rk3588-copy-fill.wl", "rk3588-fault.wl")) {
            try (InputStream in = getClass().getResourceAsStream("/images/" + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Script s = WorkloadParser.parse(name, text, IoctlRegistry.standard());
                assertTrue(s.body().size() > 10, name);
            }
        }
    }

    @Test
    void shouldKnowEveryPanthorIoctlAndStructByName() {
        IoctlRegistry reg = IoctlRegistry.standard();
        assertTrue(reg.find("DRM_IOCTL_PANTHOR_SET_USER_MMIO_OFFSET").isPresent());
        assertTrue(reg.findStruct("drm_panthor_vm_bind_op").isPresent());
        assertTrue(reg.findStruct("drm_syncobj_wait").isPresent());
        assertEquals(List.of("queue_index", "stream_size", "stream_addr", "latest_flush", "pad", "syncs.stride",
                "syncs.count", "syncs.array"), StructFields.names(reg.findStruct("drm_panthor_queue_submit")
                        .orElseThrow().layout()));
        assertEquals(new StructFields.Slot(60, 4), StructFields.of(reg.findStruct("drm_panthor_gpu_info")
                .orElseThrow().layout()).get("texture_features[3]"));
    }

    @Test
    void shouldAcceptNestedArrayFieldsAndTheGpuCommands() throws Exception {
        WorkloadParser.parse("s.wl", """
                alloc 8K -> $p
                struct write drm_panthor_group_priorities_info $p allowed_mask=3 pad[2]=0
                struct read drm_panthor_group_priorities_info $p -> allowed_mask=$m
                ioctl 3 DRM_IOCTL_PANTHOR_VM_BIND vm_id=1 ops.count=1 ops.array=$p -> ops.count=$n
                kdesc $p+64 fill $p 4K 0x1234
                kdesc 128 saxpy 0 4096 1024 0x40000000
                free $p 8K
                """, IoctlRegistry.standard());
    }

    @Test
    void shouldReportBadGpuCommandsAtTheirColumn() {
        assertEquals("s.wl:1:14: unknown struct 'drm_panthor_sync_opp' (did you mean 'drm_panthor_sync_op'?)",
                error("struct write drm_panthor_sync_opp 0 flags=1").getMessage());
        assertTrue(error("struct write drm_panthor_sync_op 0 flag=1").getMessage()
                .startsWith("s.wl:1:36: unknown field 'flag' of drm_panthor_sync_op (flags, handle, timeline_value)"));
        assertEquals("s.wl:1:63: value 256 does not fit the 8-bit field allowed_mask",
                error("struct write drm_panthor_group_priorities_info 0 allowed_mask=256").getMessage());
        assertTrue(error("struct read drm_panthor_sync_op 0 flags=$f").getMessage().startsWith("s.wl:1:35: expected '->'"));
        assertTrue(error("kdesc 0 blur 1 2 3").getMessage().startsWith("s.wl:1:9:"));
        assertTrue(error("kdesc 0 copy 1 2").getMessage().startsWith("s.wl:1:17:"));
        assertEquals("s.wl:1:7: a kernel descriptor must be 64-byte aligned, got 8",
                error("kdesc 8 copy 1 2 3").getMessage());
        assertTrue(error("ioctl 3 DRM_IOCTL_PANTHOR_VM_BIND ops.cont=1").getMessage()
                .contains("unknown field 'ops.cont' of DRM_IOCTL_PANTHOR_VM_BIND"));
        assertTrue(error("alloc 4K").getMessage().startsWith("s.wl:1:9:"));
    }
}
