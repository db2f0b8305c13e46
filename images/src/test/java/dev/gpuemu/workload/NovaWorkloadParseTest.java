package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The ga102 example workloads parse against the standard registry (every nova ioctl and field
/// name they use exists), and nova's names are in the registry.
class NovaWorkloadParseTest {

    @Test
    void shouldParseTheGa102ExampleWorkloads() throws Exception {
        for (String name : List.of("ga102-getparam.wl", "ga102-copy.wl", "ga102-fault.wl")) {
            try (InputStream in = getClass().getResourceAsStream("/images/" + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Script s = WorkloadParser.parse(name, text, IoctlRegistry.standard());
                assertTrue(s.body().size() > 10, name);
            }
        }
    }

    @Test
    void shouldKnowEveryNovaIoctlAndStructByName() {
        IoctlRegistry reg = IoctlRegistry.standard();
        assertTrue(reg.find("DRM_IOCTL_NOVA_GETPARAM").isPresent());
        assertTrue(reg.find("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE").isPresent());
        assertEquals(List.of("channel", "handle", "offset", "dwords", "flags", "waits", "signals", "wait_count",
                "signal_count"), StructFields.names(reg.findStruct("drm_nova_gpuemu_submit").orElseThrow().layout()));
    }

    @Test
    void shouldRejectAMisspelledNovaField() {
        ScriptException e = assertThrows(ScriptException.class, () -> WorkloadParser.parse("s.wl",
                "ioctl 3 DRM_IOCTL_NOVA_GEM_INFO handel=1\n", IoctlRegistry.standard()));
        assertTrue(e.getMessage().contains("handel"), e.getMessage());
    }
}
