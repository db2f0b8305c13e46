package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class GpuemuCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void shouldBootDefaultImageAndPrintProbeLogAndCleanSummary() {
        assertEquals(0, run("boot"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("tyr fb000000.gpu: mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5"), o);
        assertTrue(o.contains("NovaCore 0000:01:00.0: NVIDIA (Chipset: GA102, Architecture: Ampere, Revision: a.1)"), o);
        assertTrue(o.contains("[drm] Initialized nova 0.0.0 for NovaCore.nova-drm.0 on minor 1"), o);
        assertTrue(o.contains("image dual: 4 device(s), 3 bound (tyr platform:fb000000.gpu, NovaCore pci:0000:01:00.0, "
                + "nova-drm auxiliary:NovaCore.nova-drm.0)"), o);
        assertTrue(o.contains("shutdown: 0 oops(es), 0 guest error(s), 0 leaked page(s), 0 emulator failure(s)"), o);
        assertFalse(o.contains("bound to driver"), "debug records hidden without --verbose");
    }

    @Test
    void shouldBootTheEduImageAndPrintProbeLogAndCleanSummary() {
        assertEquals(0, run("boot", "edu"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("pci 0000:00:04.0: [1234:11e8] type 00 class 0x00ff00"), o);
        assertTrue(o.contains("edu 0000:00:04.0: factorial(10) = 3628800"), o);
        assertTrue(o.contains("edu 0000:00:04.0: DMA self-test passed"), o);
        assertTrue(o.contains("image edu: 1 device(s), 1 bound (edu pci:0000:00:04.0)"), o);
        assertTrue(o.contains("shutdown: 0 oops(es), 0 guest error(s), 0 leaked page(s), 0 emulator failure(s)"), o);
        assertFalse(o.contains("bound to driver"), "debug records hidden without --verbose");
    }

    @Test
    void shouldPrintDebugRecordsWhenVerbose() {
        assertEquals(0, run("boot", "edu", "--verbose"));
        assertTrue(out.toString().contains("edu 0000:00:04.0: bound to driver edu"));
    }

    @Test
    void shouldStampLogWithSimulatedTimeIdenticallyForSameSeed() {
        run("boot", "--seed", "7");
        String first = out.toString().lines().filter(l -> l.startsWith("[")).toList().toString();
        out.getBuffer().setLength(0);
        run("boot", "--seed", "7");
        String second = out.toString().lines().filter(l -> l.startsWith("[")).toList().toString();
        assertEquals(first, second);
    }

    @Test
    void shouldShowTheTestDeviceBoundInLsdev() {
        assertEquals(0, run("lsdev", "--image", "edu"));
        String o = out.toString();
        assertTrue(o.contains("/sys/bus/pci"), o);
        assertTrue(o.matches("(?s).*0000:00:04\\.0 +\\[1234:11e8\\].*driver -> edu.*"), o);
        assertTrue(o.contains("/sys/bus/platform") && o.contains("/sys/bus/auxiliary") && o.contains("/sys/bus/faux"), o);
    }

    @Test
    void shouldExitTwoWithMessageForUnknownImage() {
        assertEquals(2, run("boot", "nosuch"));
        assertEquals("gpuemu: unknown image 'nosuch' (known: edu, vgem, rk3588, ga102-pc, dual; or give an image file)", err.toString().strip());
        assertEquals("", out.toString());
    }

    @Test
    void shouldExitTwoForUnknownOptionOrBadSeed() {
        assertEquals(2, run("--bogus"));
        assertEquals(2, run("boot", "--seed", "seven"));
        assertTrue(err.toString().contains("Invalid value for option '--seed'"), err.toString());
    }

    @Test
    void shouldExitTwoForBenchWithoutSuiteOrWithUnwritableJson() {
        assertEquals(2, run("bench"));
        assertTrue(err.toString().contains("missing suite (one of: pages, ioctl)"), err.toString());
        assertEquals(2, run("bench", "pages", "--quick", "--json", "/nonexistent-dir/out.json"));
        assertTrue(err.toString().contains("gpuemu: cannot write /nonexistent-dir/out.json: directory /nonexistent-dir does not exist"),
                err.toString());
        assertEquals(2, run("bench", "pages", "--dram-mib", "8"));
    }

    @Test
    void shouldPrintVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("gpuemu " + GpuemuCommand.VERSION));
    }
}
