package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/// `gpuemu bench ioctl`: short runs on vgem and on rk3588's panthor node write the documented
/// JSON with every mix entry run (or reported unsupported), and bad input exits 2. No speed
/// assertions.
class BenchIoctlCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir
    Path dir;

    private int run(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static final List<String> RUN_FIELDS =
            List.of("threads", "ioctl", "ops_per_sec", "p50_ns", "p99_ns", "p999_ns", "alloc_bytes_per_op");

    @Test
    void shouldRunEveryMixEntryOnVgemAndWriteJsonAndPlot() throws IOException {
        Path json = dir.resolve("vgem.json");
        Path png = dir.resolve("vgem.png");
        assertEquals(0, run("bench", "ioctl", "--count", "100", "--threads", "1,2", "--floor-calls", "1000",
                "--json", json.toString(), "--plot", png.toString()), err.toString());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("vgem", j.get("image").asText());
        assertEquals("/dev/dri/renderD128", j.get("node").asText());
        assertTrue(j.has("syscall_floor_ns"));
        assertEquals(3, j.get("guards").size());
        Set<String> guards = new HashSet<>();
        for (JsonNode g : j.get("guards")) {
            guards.add(g.get("guard").asText());
            assertEquals(g.get("guard").asText().equals("none"), g.get("unsafe_baseline").asBoolean());
            assertEquals(12, g.get("runs").size());
            for (JsonNode r : g.get("runs")) {
                RUN_FIELDS.forEach(f -> assertTrue(r.has(f), f));
                if (r.get("ioctl").asText().equals("submit")) {
                    assertTrue(r.get("unsupported").asText().contains("vgem"));
                } else {
                    assertTrue(r.get("ops_per_sec").asDouble() > 0, r.toString());
                    assertEquals(0, r.get("errors").asLong(), r.toString());
                    assertEquals(100L * r.get("threads").asInt(), r.get("ops").asLong());
                }
            }
        }
        assertEquals(Set.of("srcu", "rwlock", "none"), guards);
        assertEquals(800, ImageIO.read(png.toFile()).getWidth());
        String o = out.toString();
        assertTrue(o.contains("warning: guard 'none' is an unsafe baseline"), o);
        assertTrue(o.contains("guard srcu") && o.contains("guard rwlock") && o.contains("UNSAFE BASELINE"), o);
        assertTrue(o.contains("goals (ratios of phases measured side by side in this run)"), o);
    }

    @Test
    void shouldRunEveryMixEntryIncludingGroupSubmitOnRk3588Panthor() throws IOException {
        Path json = dir.resolve("rk.json");
        assertEquals(0, run("bench", "ioctl", "--image", "rk3588", "--count", "20", "--threads", "1,2",
                "--guard", "srcu", "--floor-calls", "0", "--json", json.toString()), err.toString() + out);
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("srcu", j.get("guard").asText());
        assertEquals("gpuemu bench ioctl --image rk3588 --count 20 --threads 1,2 --guard srcu --floor-calls 0 --json " + json,
                j.get("command").asText());
        assertEquals("panthor", j.get("driver").asText());
        assertFalse(j.get("unsafe_baseline").asBoolean());
        assertTrue(j.get("syscall_floor_ns").isNull());
        assertEquals(12, j.get("runs").size());
        for (JsonNode r : j.get("runs")) {
            RUN_FIELDS.forEach(f -> assertTrue(r.has(f), f));
            assertFalse(r.has("unsupported"), r.toString());
            assertEquals(0, r.get("errors").asLong(), r.toString());
            assertEquals(20L * r.get("threads").asInt(), r.get("ops").asLong());
        }
    }

    @Test
    void shouldRunSharedFileModeWithOneGuard() {
        assertEquals(0, run("bench", "ioctl", "--count", "50", "--threads", "2", "--shared-file", "--guard", "rwlock",
                "--mix", "get_cap=2,syncobj", "--floor-calls", "0"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("one shared file"), o);
        assertFalse(o.contains("unsafe baseline"), o);
    }

    /// Arguments are separated by `;`; every case fails before a phase runs.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--image;nosuch|unknown image 'nosuch'",
        "--count;5;--node;renderD200|no DRM node /dev/dri/renderD200 on this image (nodes: /dev/dri/card0, /dev/dri/renderD128) (image vgem)",
        "--mix;nosuch=1|unknown --mix entry 'nosuch' (known: version, get_cap, gem_create_close, mmap_offset, syncobj, submit)",
        "--mix;version=0|--mix weight of version must be >= 1, got 0",
        "--mix;version=-2|--mix weight of version must be >= 1, got -2",
        "--mix;version=x|bad --mix weight in 'version=x'",
        "--mix;get_cap,get_cap|--mix names get_cap twice",
        "--threads;0|--threads values must be 1..256, got 0",
        "--threads;1,,2|bad --threads '1,,2'",
        "--duration;1s;--count;5|give --duration or --count, not both",
        "--duration;5 seconds|bad --duration '5 seconds'",
        "--duration;fast|bad --duration 'fast'",
        "--guard;mutex|unknown --guard 'mutex'",
        "--json;/nonexistent-dir/x.json|cannot write --json /nonexistent-dir/x.json: directory /nonexistent-dir does not exist",
        "--plot;/nonexistent-dir/x.png|cannot write --plot /nonexistent-dir/x.png: directory /nonexistent-dir does not exist",
        "--count;0|--count must be >= 1, got 0",
    })
    void shouldExitTwoWithAClearMessageOnBadInput(String args, String message) {
        List<String> a = new java.util.ArrayList<>(List.of("bench", "ioctl", "--floor-calls", "0"));
        a.addAll(List.of(args.split(";")));
        assertEquals(2, run(a.toArray(String[]::new)), out.toString());
        assertTrue(err.toString().contains(message), err.toString());
        assertFalse(err.toString().contains("internal error"), err.toString());
    }

    @Test
    void shouldExitTwoWhenTheJsonPathIsADirectory() {
        assertEquals(2, run("bench", "ioctl", "--count", "5", "--json", dir.toString()));
        assertTrue(err.toString().contains("not writable"), err.toString());
    }
}
