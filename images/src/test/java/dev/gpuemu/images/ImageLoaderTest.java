package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.time.ClockMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Image files: what a good one yields, and the exact `file:line:col` of every kind of mistake.
class ImageLoaderTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            name: test
            description: a test image
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private Image load(String text) throws IOException, ImageException {
        return ImageLoader.load(write("m.yaml", text), "m.yaml", DeviceRegistry.builtin());
    }

    /// Loads `text` expecting an error; returns the message.
    private String error(String text) throws IOException {
        return assertThrows(ImageException.class, () -> load(text)).getMessage();
    }

    @Test
    void shouldReadDefaultsClockRamDriversFirmwareAndInit() throws Exception {
        write("fw.bin", "FW");
        Files.createDirectories(dir.resolve("scripts"));
        write("scripts/init.gw", "# nothing\n");
        Image img = load(HEAD + """
                clock: {mode: paced, seed: 0x2a}
                ram: 64MiB
                pci:
                  - {slot: 00:04.0, model: edu}
                faux: [vgem]
                drivers: [edu, vgem]
                firmware:
                  acme/fw.bin: fw.bin
                init: scripts/init.gw
                """);
        assertEquals("test", img.name());
        assertEquals("a test image", img.description());
        assertEquals(ClockMode.PACED, img.clockMode());
        assertEquals(42, img.seed());
        assertEquals(List.of("edu", "vgem"), img.drivers());
        assertEquals(dir.resolve("scripts/init.gw"), img.init().orElseThrow());
        assertEquals(dir.resolve("m.yaml"), img.source().orElseThrow());
    }

    @Test
    void shouldDefaultToFastClockSeedZeroAndNoInit() throws Exception {
        Image img = load(HEAD);
        assertEquals(ClockMode.FAST, img.clockMode());
        assertEquals(0, img.seed());
        assertTrue(img.init().isEmpty());
        assertTrue(img.drivers().isEmpty());
    }

    @Test
    void shouldPointAtUnknownTopLevelKey() throws IOException {
        assertEquals("m.yaml:3:1: unknown key 'rams' in the image (expected one of: name, description, clock, ram, pci, "
                + "platform, faux, drivers, firmware, init)", error(HEAD + "rams: 1MiB\n"));
    }

    @Test
    void shouldPointAtUnknownKeyInsideDevice() throws IOException {
        assertEquals("m.yaml:5:5: unknown key 'bar' in a pci device (expected one of: slot, model, vendor, device, bars, params)",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    bar: 1\n    model: edu\n"));
    }

    @Test
    void shouldPointAtValueOfWrongType() throws IOException {
        assertEquals("m.yaml:3:6: pci must be a list, found a scalar", error(HEAD + "pci: edu\n"));
        assertEquals("m.yaml:3:10: drivers must be a list, found a map", error(HEAD + "drivers: {edu: 1}\n"));
        assertEquals("m.yaml:4:9: clock mode must be a scalar, found a list", error(HEAD + "clock:\n  mode: [fast]\n"));
    }

    @Test
    void shouldPointAtBadNumberAndBadUnit() throws IOException {
        assertEquals("m.yaml:4:9: bad number '12x' for seed (decimal or 0x hexadecimal)", error(HEAD + "clock:\n  seed: 12x\n"));
        assertEquals("m.yaml:3:6: unknown unit 'MB' in '256MB' for ram (B, KiB, MiB, GiB, TiB)", error(HEAD + "ram: 256MB\n"));
        assertEquals("m.yaml:3:6: ram must be a positive multiple of 4 KiB, found 1000 bytes", error(HEAD + "ram: 1000\n"));
        assertEquals("m.yaml:4:29: bad number '0x12g4' for vendor (decimal or 0x hexadecimal)",
                error(HEAD + "pci:\n  - {slot: 00:04.0, vendor: 0x12g4, model: edu}\n"));
    }

    @Test
    void shouldPointAtUnknownModelAndUnknownDriver() throws IOException {
        assertEquals("m.yaml:5:12: unknown PCI model 'edux' (known: edu, ga102)",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    model: edux\n"));
        assertEquals("m.yaml:3:16: unknown driver 'nouveau' (known: edu, nova-core, nova-drm, tyr, vgem)", error(HEAD + "drivers: [edu, nouveau]\n"));
        assertEquals("m.yaml:5:12: unknown platform model 'mali' (known: mali-g610)",
                error(HEAD + "platform:\n  - name: fb000000.gpu\n    model: mali\n"));
    }

    @Test
    void shouldPointAtMissingFirmwareAndInitFiles() throws IOException {
        String msg = error(HEAD + "firmware:\n  acme/fw.bin: nothere.bin\n");
        assertTrue(msg.startsWith("m.yaml:4:16: firmware file 'nothere.bin' not found (looked for "), msg);
        msg = error(HEAD + "init: scripts/none.gw\n");
        assertTrue(msg.startsWith("m.yaml:3:7: init script 'scripts/none.gw' not found (looked for "), msg);
    }

    @Test
    void shouldPointAtYamlSyntaxError() throws IOException {
        assertEquals("m.yaml:5:10: YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence at line 4)",
                error(HEAD + "pci:\n  - slot: [00:04.0\n    model: edu\n"));
        assertEquals("m.yaml:4:3: YAML syntax error: expected <block end>, but found '<block sequence start>' "
                + "(while parsing a block mapping at line 1)", error(HEAD + "drivers: [edu]\n  - vgem\n"));
    }

    @Test
    void shouldPointAtDuplicateSlotAndDuplicateKey() throws IOException {
        assertEquals("m.yaml:5:12: PCI slot 0000:00:04.0 is already used (line 4)",
                error(HEAD + "pci:\n  - {slot: 00:04.0, model: edu}\n  - {slot: 0000:00:04.0, model: edu}\n"));
        assertEquals("m.yaml:4:1: duplicate key 'name' (first at line 1)", error(HEAD + "ram: 1MiB\nname: again\n"));
    }

    @Test
    void shouldPointAtIdAndBarMismatchesWithTheModel() throws IOException {
        assertEquals("m.yaml:6:13: device 0x11e9 does not match model edu (0x11e8)",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    model: edu\n    device: 0x11e9\n"));
        assertEquals("m.yaml:7:10: BAR 0 size 0x200000 does not match model edu (0x100000)",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    model: edu\n    bars:\n      0: 2MiB\n"));
        assertEquals("m.yaml:7:7: model edu has no BAR 2 (BARs: [0])",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    model: edu\n    bars:\n      2: 4KiB\n"));
        assertEquals("m.yaml:7:7: unknown parameter 'dma_bits' for model edu (it takes none)",
                error(HEAD + "pci:\n  - slot: 00:04.0\n    model: edu\n    params:\n      dma_bits: 28\n"));
    }

    @Test
    void shouldRequireFauxDeviceAndItsDriverTogether() throws IOException {
        assertEquals("m.yaml:3:8: faux device 'vgem' is created by driver 'vgem', which is not in drivers",
                error(HEAD + "faux: [vgem]\n"));
        assertEquals("m.yaml:3:11: driver 'vgem' creates faux device 'vgem': list it under faux",
                error(HEAD + "drivers: [vgem]\n"));
        assertEquals("m.yaml:3:8: unknown faux device 'vkms' (known: vgem)", error(HEAD + "faux: [vkms]\n"));
    }

    @Test
    void shouldNameMissingRequiredKeysAndEmptyFile() throws IOException {
        assertEquals("m.yaml:1:1: the image needs 'description'", error("name: x\n"));
        assertEquals("m.yaml:1:1: empty image file", error(""));
        assertEquals("m.yaml:1:1: the image must be a map, found a list", error("- a\n"));
        String missing = assertThrows(ImageException.class, () -> ImageLoader.load(dir.resolve("none.yaml"))).getMessage();
        assertEquals(dir.resolve("none.yaml") + ":0:0: no such image file", missing);
    }
}
