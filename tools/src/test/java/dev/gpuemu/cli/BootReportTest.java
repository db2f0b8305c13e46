package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// `boot` runs the image's init workload and reports it; `--json` writes the documented report
/// (docs/cli.md); init failures exit 1 and init script errors exit 2 with `file:line:col`.
class BootReportTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path image(String init) throws IOException {
        Files.writeString(dir.resolve("init.wl"), init);
        Path f = dir.resolve("m.yaml");
        Files.writeString(f, """
                name: m
                description: vgem with an init workload
                clock: {seed: 11}
                faux: [vgem]
                drivers: [vgem]
                init: init.wl
                """);
        return f;
    }

    @Test
    void shouldRunTheShippedInitWorkloadAndReportItInTheSummary() {
        assertEquals(0, run("boot", "vgem"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("vgem: dumb buffer of 262144 bytes written and verified through mmap"), o);
        assertTrue(o.contains("workload /images/vgem-init.wl: passed, "), o);
    }

    @Test
    void shouldSkipTheInitWorkloadWithNoInit() {
        assertEquals(0, run("boot", "vgem", "--no-init"), err.toString());
        assertTrue(!out.toString().contains("workload "), out.toString());
    }

    @Test
    void shouldWriteEveryDocumentedFieldOfTheJsonReport() throws IOException {
        Path json = dir.resolve("r.json");
        assertEquals(0, run("boot", "vgem", "--seed", "3", "--json", json.toString()), err.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        List<String> fields = new ArrayList<>();
        r.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("schema", "image", "seed", "clock", "devices", "drm_nodes", "workload", "oops",
                "guest_errors", "guest_errors_by_kind", "leaked_pages", "emulator_failures", "sim_boot_ns",
                "sim_time_ns", "wall_time_ms", "exit_code"), fields);
        assertEquals("gpuemu.run/1", r.get("schema").asText());
        assertEquals("vgem", r.get("image").asText());
        assertEquals(3, r.get("seed").asLong());
        assertEquals(2, r.get("devices").size());
        JsonNode edu = r.get("devices").get(0);
        assertEquals("0000:00:04.0", edu.get("name").asText());
        assertEquals("pci", edu.get("bus").asText());
        assertEquals("edu", edu.get("driver").asText());
        assertTrue(edu.get("bound").asBoolean());
        assertEquals("[\"/dev/dri/card0\",\"/dev/dri/renderD128\"]", r.get("drm_nodes").toString());
        assertEquals("passed", r.get("workload").get("status").asText());
        assertTrue(r.get("workload").get("assertions_passed").asInt() > 0);
        assertEquals(0, r.get("workload").get("assertions_failed").asInt());
        assertEquals(0, r.get("oops").asLong());
        assertEquals(0, r.get("guest_errors").asLong());
        assertTrue(r.get("sim_time_ns").asLong() >= r.get("sim_boot_ns").asLong());
        assertTrue(r.get("wall_time_ms").asLong() >= 0);
        assertEquals(0, r.get("exit_code").asInt());
        assertTrue(out.toString().contains("shutdown: 0 oops(es)"), "the log and summary still go to stdout");
    }

    @Test
    void shouldPrintOnlyTheJsonReportOnStdoutWithDash() throws IOException {
        assertEquals(0, run("run", "--image", "vgem", "--json", "-", write("ok.wl", "clock step 1ms\n").toString()));
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertEquals("passed", r.get("workload").get("status").asText());
        assertEquals(1_000_000, r.get("sim_time_ns").asLong() - r.get("sim_boot_ns").asLong());
    }

    @Test
    void shouldExitOneAndReportTheFailureWhenTheInitWorkloadFails() throws IOException {
        Path img = image("assert 1 == 2 \"one is two\"\n");
        Path json = dir.resolve("f.json");
        assertEquals(1, run("boot", img.toString(), "--json", json.toString()));
        assertTrue(out.toString().contains("workload " + dir.resolve("init.wl") + ": FAILED, 0 check(s) passed, 1 failed"),
                out.toString());
        assertTrue(out.toString().contains("one is two"), out.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertEquals("failed", r.get("workload").get("status").asText());
        assertEquals(1, r.get("workload").get("assertions_failed").asInt());
        assertEquals(11, r.get("seed").asLong(), "the image's seed");
        assertEquals(1, r.get("exit_code").asInt());
    }

    @Test
    void shouldExitTwoWithFileLineColumnForAnErrorInTheInitScriptWithoutBooting() throws IOException {
        Path img = image("clock step 1us\nfrobnicate\n");
        assertEquals(2, run("boot", img.toString()));
        assertEquals(dir.resolve("init.wl") + ":2:1: unknown command 'frobnicate'",
                err.toString().strip().lines().findFirst().orElseThrow().replaceAll(" \\(did you mean.*", ""));
        assertEquals("", out.toString(), "nothing booted");
    }

    @Test
    void shouldExitTwoWhenTheReportCannotBeWritten() {
        assertEquals(2, run("boot", "edu", "--json", dir.resolve("no/such/dir/r.json").toString()));
        assertTrue(err.toString().startsWith("gpuemu: cannot write the JSON report to "), err.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
