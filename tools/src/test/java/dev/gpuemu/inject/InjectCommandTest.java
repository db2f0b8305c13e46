package dev.gpuemu.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuemu.cli.GpuemuCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `gpuemu inject unbind` from the command line: exit codes and the JSON report's fields.
class InjectCommandTest {
    private record Run(int code, String out, String err) {
    }

    private static Run gpuemu(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void shouldWriteTheIssuesJsonFieldsAndExitZeroForACleanRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("inject.json");
        Run r = gpuemu("inject", "unbind", "--image", "vgem", "--threads", "2", "--cycles", "5", "--seed", "4",
                "--json", json.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("violations: none"), r.out());
        JsonNode n = new ObjectMapper().readTree(Files.readString(json));
        List<String> fields = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("image", "device", "mode", "seed", "cycles", "violations", "unplug_latency_us", "ioctls",
                "oops", "leaks"), fields);
        assertEquals("vgem", n.get("image").asText());
        assertEquals("vgem", n.get("device").asText());
        assertEquals("unbind", n.get("mode").asText());
        assertEquals(4, n.get("seed").asLong());
        assertEquals(5, n.get("cycles").asInt());
        assertEquals(0, n.get("violations").size());
        assertTrue(n.get("unplug_latency_us").get("max").asDouble() >= n.get("unplug_latency_us").get("p50").asDouble());
        assertTrue(n.get("ioctls").get("ok").asLong() > 0);
        assertEquals(0, n.get("oops").asLong());
        assertEquals(0, n.get("leaks").asLong());
    }

    @Test
    void shouldExitOneWithTheViolationsWhenThePlantedBugIsCaught() throws Exception {
        Run r = gpuemu("inject", "unbind", "--image", "vgem", "--device", "planted-bug", "--cycles", "20", "--seed", "3",
                "--json", "-");
        assertEquals(1, r.code(), r.out() + r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertTrue(n.get("oops").asLong() > 0, r.out());
        JsonNode v = n.get("violations").get(0);
        assertTrue(v.has("invariant") && v.has("step") && v.has("detail"), r.out());
    }

    @Test
    void shouldExitTwoForAnUnknownMode() {
        Run r = gpuemu("inject", "unbind", "--mode", "yank");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown --mode 'yank' (one of: unbind, remove, probe-fail, mixed)"), r.err());
    }

    @Test
    void shouldExitTwoForRemoveOnAPlatformOrFauxDevice() {
        Run r = gpuemu("inject", "unbind", "--image", "vgem", "--mode", "remove");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--mode remove needs a PCI device; vgem is on the faux bus"), r.err());
    }

    @Test
    void shouldExitTwoForAnUnknownDeviceNamingTheKnownOnes() {
        Run r = gpuemu("inject", "unbind", "--image", "vgem", "--device", "gpu0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no bound DRM device 'gpu0' on image vgem (devices: vgem, planted-bug, planted-fixed)"),
                r.err());
    }

    @Test
    void shouldExitTwoForBadCountsAndUnknownImages() {
        assertEquals(2, gpuemu("inject", "unbind", "--threads", "0").code());
        assertEquals(2, gpuemu("inject", "unbind", "--cycles", "0").code());
        Run r = gpuemu("inject", "unbind", "--image", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown image 'nope'"), r.err());
        assertEquals(2, gpuemu("inject", "unbind", "--image", "edu").code(), "edu has no DRM device");
    }
}
