package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/// `gpuemu images`, `gpuemu boot FILE`, `gpuemu lsdev --image`: shipped and user images from the
/// command line, and exit code 2 with `file:line:col` for every kind of malformed image file.
class ImageCommandsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static final String GOOD = """
            name: mine
            description: my machine
            clock: {seed: 5}
            ram: 64MiB
            pci:
              - slot: 00:04.0
                model: edu
            faux: [vgem]
            drivers: [edu, vgem]
            """;

    @Test
    void shouldListShippedImagesWithDescriptionsAndDefault() {
        assertEquals(0, run("images"));
        String o = out.toString();
        assertTrue(o.contains("edu       PCI machine with the edu test device (QEMU edu model) and its driver\n"), o);
        assertTrue(o.contains("vgem      vgem (virtual GEM, DRM card0 + renderD128) plus the edu test device on PCI"), o);
        assertTrue(o.contains("rk3588    RK3588 Mali-G610 MC4 (Valhall CSF) with the tyr driver, DRM device panthor"), o);
        assertTrue(o.contains("ga102-pc  PC with an NVIDIA GA102 (Ampere) on PCI, nova-core and nova-drm (DRM device nova)"), o);
        assertTrue(o.contains("dual      RK3588 Mali-G610 (tyr) and an NVIDIA GA102 on PCI (nova-core, nova-drm) in one machine (default)"), o);
    }

    @Test
    void shouldBootShippedVgemImageWithBothDriversAndDrmNodes() {
        assertEquals(0, run("boot", "vgem"), err.toString());
        String o = out.toString();
        assertTrue(o.contains("image vgem: 2 device(s), 2 bound (edu pci:0000:00:04.0, faux_driver faux:vgem)"), o);
        assertTrue(o.contains("drm nodes: /dev/dri/card0, /dev/dri/renderD128"), o);
        assertTrue(o.contains("shutdown: 0 oops(es), 0 guest error(s), 0 leaked page(s), 0 emulator failure(s)"), o);
    }

    @Test
    void shouldShowDrmNodesAndBothBusesInLsdevOfVgem() {
        assertEquals(0, run("lsdev", "--image", "vgem"), err.toString());
        String o = out.toString();
        assertTrue(o.matches("(?s).*0000:00:04\\.0 +\\[1234:11e8\\].*driver -> edu.*"), o);
        assertTrue(o.matches("(?s).*/sys/bus/faux.*vgem.*driver -> faux_driver.*"), o);
        assertTrue(o.contains("/dev/dri\n    card0\n    renderD128\n"), o);
    }

    @Test
    void shouldSayNoDrmNodesInLsdevOfEdu() {
        assertEquals(0, run("lsdev", "--image", "edu"));
        assertTrue(out.toString().contains("/dev/dri  (none)"), out.toString());
    }

    @Test
    void shouldRefuseImageGivenTwiceToLsdev() {
        assertEquals(2, run("lsdev", "edu", "--image", "vgem"));
        assertTrue(err.toString().contains("either as IMAGE or as --image"), err.toString());
    }

    @Test
    void shouldBootUserImageFileWithItsSeedUnlessOverridden() throws IOException {
        Path f = dir.resolve("mine.yaml");
        Files.writeString(f, GOOD);
        assertEquals(0, run("boot", f.toString()), err.toString());
        assertTrue(out.toString().contains("image mine: 2 device(s), 2 bound"), out.toString());
        assertTrue(out.toString().contains("seed 5, fast clock"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("boot", f.toString(), "--seed", "9"));
        assertTrue(out.toString().contains("seed 9, fast clock"), out.toString());
    }

    @Test
    void shouldExitTwoForMissingImageFile() {
        assertEquals(2, run("boot", "nothere.yaml"));
        assertEquals("gpuemu: cannot read nothere.yaml: no such image file", err.toString().strip());
    }

    /// Each malformed image: the line to append to a valid head, and the exact message.
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key      | colour: red                         | 3:1: unknown key 'colour' in the image (expected one of: name, description, clock, ram, pci, platform, faux, drivers, firmware, init)
            wrong type       | drivers: edu                        | 3:10: drivers must be a list, found a scalar
            bad number       | clock: {seed: 0xZZ}                 | 3:15: bad number '0xZZ' for seed (decimal or 0x hexadecimal)
            bad unit         | ram: 64MB                           | 3:6: unknown unit 'MB' in '64MB' for ram (B, KiB, MiB, GiB, TiB)
            unknown model    | pci: [{slot: 00:04.0, model: edux}] | 3:30: unknown PCI model 'edux' (known: edu, ga102)
            unknown driver   | drivers: [edu, i915]                | 3:16: unknown driver 'i915' (known: edu, nova-core, nova-drm, tyr, vgem)
            missing firmware | firmware: {acme/x.bin: x.bin}       | 3:24: firmware file 'x.bin' not found
            missing init     | init: init.gw                       | 3:7: init script 'init.gw' not found
            yaml syntax      | pci: [{slot: 00:04.0                | 4:1: YAML syntax error: expected ',' or '}', but got <stream end> (while parsing a flow mapping at line 3)
            duplicate slot   | pci: [{slot: 00:04.0, model: edu}, {slot: 00:04.0, model: edu}] | 3:43: PCI slot 0000:00:04.0 is already used (line 3)
            """)
    void shouldExitTwoWithFileLineColumnForMalformedImage(String what, String line, String message) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: bad\ndescription: a " + what + "\n" + line + "\n");
        assertEquals(2, run("boot", f.toString()), what);
        String e = err.toString().strip();
        assertTrue(e.startsWith(f + ":" + message), e);
        assertEquals("", out.toString(), "nothing booted");
        assertEquals(1, e.lines().count(), "one line, no stack trace: " + e);
    }
}
