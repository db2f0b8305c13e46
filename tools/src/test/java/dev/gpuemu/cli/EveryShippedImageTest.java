package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gpuemu.images.BuiltinImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/// Issue [7/8]'s acceptance "both commands work on every shipped image and write the documented
/// JSON", walked over [BuiltinImages#names()] (so a new image is covered without editing this
/// test): an image with a DRM node runs a short `bench ioctl` and `inject unbind` to exit 0 with
/// the JSON; one without (edu) is an input error, exit 2 with the reason. No speed assertions.
class EveryShippedImageTest {
    /// Shipped images without any DRM device (edu: a PCI device with its own char device).
    private static final List<String> NO_DRM = List.of("edu");

    static Stream<String> images() {
        return BuiltinImages.names().stream();
    }

    private record Run(int code, String out, String err) {
    }

    private static Run gpuemu(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @MethodSource("images")
    void shouldBenchTheImagesRenderNodeOrRefuseAnImageWithoutOne(String image, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        Run r = gpuemu("bench", "ioctl", "--image", image, "--count", "20", "--threads", "1", "--guard", "srcu",
                "--mix", "version,get_cap,submit", "--floor-calls", "0", "--json", json.toString());
        if (NO_DRM.contains(image)) {
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("no DRM node"), r.err());
            return;
        }
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(image, j.get("image").asText());
        assertEquals("srcu", j.get("guard").asText());
        assertEquals(3, j.get("runs").size(), j.toString());
        for (JsonNode run : j.get("runs")) {
            for (String f : List.of("threads", "ioctl", "ops_per_sec", "p50_ns", "p99_ns", "p999_ns", "alloc_bytes_per_op")) {
                assertTrue(run.has(f), image + ": " + f);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("images")
    void shouldInjectOnTheImagesFirstDrmDeviceOrRefuseAnImageWithoutOne(String image, @TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("inject.json");
        Run r = gpuemu("inject", "unbind", "--image", image, "--threads", "2", "--cycles", "4", "--seed", "3",
                "--json", json.toString());
        if (NO_DRM.contains(image)) {
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("no DRM device the injector can drive"), r.err());
            return;
        }
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(image, j.get("image").asText());
        assertEquals(4, j.get("cycles").asInt());
        assertEquals(0, j.get("violations").size(), j.toString());
        assertEquals(0, j.get("oops").asInt());
        assertEquals(0, j.get("leaks").asInt());
    }
}
