package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/// The ga102 example workloads run end to end (`gpuemu run --image ga102-pc SCRIPT`): nova's
/// upstream ioctls, a sysmem → VRAM → sysmem copy through the copy engine with the printed
/// simulated bandwidth, and a copy faulting its channel.
class Ga102WorkloadsTest {
    private static final Path DIR = Path.of("..", "images", "src", "main", "resources", "images");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String run(String script) {
        Path p = DIR.resolve(script);
        int rc = GpuemuCommand.execute(new String[] {"run", "--image", "ga102-pc", p.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        String o = out.toString();
        assertEquals(0, rc, o + err);
        assertTrue(o.contains("workload " + p + ": passed, "), o);
        assertTrue(o.contains("shutdown: 0 oops(es)"), o);
        assertTrue(o.contains(" 0 leaked page(s), 0 emulator failure(s)"), o);
        return o;
    }

    @Test
    void shouldAnswerGetparamAndGemInfoIncludingBadInput() {
        String o = run("ga102-getparam.wl");
        assertTrue(o.contains("nova: VRAM BAR 268435456 bytes, object of 5000 bytes is 8192"), o);
        assertTrue(o.contains("Initialized nova 0.0.0"), o);
    }

    @Test
    void shouldCopyThroughVramAndPrintTheSimulatedBandwidth() {
        String o = run("ga102-copy.wl");
        Matcher m = Pattern.compile("copied 2097152 bytes sysmem -> VRAM -> sysmem in (\\d+) ns simulated: (\\d+) MB/s")
                .matcher(o);
        assertTrue(m.find(), o);
        assertTrue(Long.parseLong(m.group(1)) > 0, "copies take simulated time");
        long mbps = Long.parseLong(m.group(2));
        // sysmem legs cross PCIe 4.0 x16 (31.5 GB/s raw), the VRAM legs are faster: the mix lands
        // between a few GB/s and the PCIe bound (docs/devices/nvidia-ga102.md, timing model)
        assertTrue(mbps > 1_000 && mbps < 32_000, mbps + " MB/s");
    }

    @Test
    void shouldFaultTheChannelOnAnUnmappedVa() {
        String o = run("ga102-fault.wl");
        assertTrue(o.contains("faulted at GPU VA"), o);
    }
}
