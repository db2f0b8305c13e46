package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.Clk;
import dev.gpuemu.kernel.clk.Regulator;
import dev.gpuemu.kernel.driver.Bound;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The `clocks:` and `supplies:` keys of platform devices: rates and supply names reach the
/// node the kernel's clock and regulator frameworks read, and every mistake is positioned.
class ImageClocksTest {
    @TempDir
    Path dir;

    /// What the probe saw: `name=rate` per clock, `name:dummy?` per supply.
    private final List<String> seen = new ArrayList<>();

    /// A 4 KiB region with nothing in it, no interrupts.
    private static final class Blank implements SysBusDevice, AutoCloseable {
        private final MmioRegion region = MmioRegion.builder("blank", 0x1000).build();

        @Override
        public List<MmioRegion> regions() {
            return List.of(region);
        }

        @Override
        public void connectIrqs(List<IrqLine> lines) {
        }

        @Override
        public void close() {
            region.close();
        }
    }

    /// Gets clock `core` (required), `bus` (optional) and supplies `vdd`, `io`.
    private final class ClockDriver implements PlatformDriver<Integer> {
        @Override
        public String name() {
            return "clocky";
        }

        @Override
        public List<String> ofMatchTable() {
            return List.of("acme,clocky");
        }

        @Override
        public Integer probe(PlatformDevice<Core> pdev) throws KernelException {
            PlatformDevice<Bound> dev = pdev.bound();
            Clk core = Clk.get(dev, "core");
            Clk bus = Clk.getOptional(dev, "bus");
            seen.add("core=" + core.rate());
            seen.add("bus=" + (bus.isPresent() ? bus.rate() : "absent"));
            for (String s : List.of("vdd", "io")) {
                seen.add(s + ":" + (Regulator.get(dev, s).isDummy() ? "dummy" : "real"));
            }
            return 0;
        }
    }

    private final DeviceRegistry registry = DeviceRegistry.builtin().toBuilder()
            .platform(new PlatformModel("blank", List.of(0x1000L), 0, List.of(), (hw, name, params) -> new Blank()))
            .driver("clocky", k -> k.platformBus().register(new ClockDriver()))
            .build();

    private static String image(String extra) {
        return """
                name: c
                description: clocks test
                platform:
                  - name: fe000000.c
                    model: blank
                    compatible: ["acme,clocky"]
                    reg:
                      - {base: 0xfe000000, size: 4KiB}
                """ + extra + "drivers: [clocky]\n";
    }

    private Image load(String text) throws IOException, ImageException {
        Path p = dir.resolve("c.yaml");
        Files.writeString(p, text);
        return ImageLoader.load(p, "c.yaml", registry);
    }

    private String error(String extra) {
        return assertThrows(ImageException.class, () -> load(image(extra))).getMessage();
    }

    private void boot(Image img) throws KernelException {
        Machine m = img.builder().build();
        m.boot();
        m.close();
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldGiveTheDriverClockRatesInEveryUnitAndTheListedSupplies() throws Exception {
        boot(load(image("    clocks: {core: 800MHz, bus: 0x100}\n    supplies: [vdd]\n")));
        assertEquals(List.of("core=800000000", "bus=256", "vdd:real", "io:dummy"), seen);
        seen.clear();
        boot(load(image("    clocks:\n      core: 2GHz\n      bus: 24kHz\n")));
        assertEquals(List.of("core=2000000000", "bus=24000", "vdd:dummy", "io:dummy"), seen);
        seen.clear();
        boot(load(image("    clocks: {core: 1_000_000Hz}\n    supplies: [io, vdd]\n")));
        assertEquals(List.of("core=1000000", "bus=absent", "vdd:real", "io:real"), seen);
    }

    @Test
    void shouldFailProbeWithEnoentWhenTheRequiredClockIsNotInTheImage() throws Exception {
        Machine m = load(image("    supplies: [vdd]\n")).builder().build();
        List<String> log = new ArrayList<>();
        m.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        m.boot();
        m.close();
        assertTrue(seen.isEmpty(), seen.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("probe of fe000000.c failed with error -2")), log.toString());
    }

    @Test
    void shouldPointAtBadClocks() {
        assertEquals("c.yaml:9:13: clocks must be a map (clock name: rate), found a list",
                error("    clocks: [core]\n"));
        assertEquals("c.yaml:9:20: bad frequency 'fast' for clock core rate (a number with an optional unit Hz, kHz, MHz, GHz)",
                error("    clocks: {core: fast}\n"));
        assertEquals("c.yaml:9:20: unknown unit 'MB' in '8MB' for clock core rate (Hz, kHz, MHz, GHz)",
                error("    clocks: {core: 8MB}\n"));
        assertEquals("c.yaml:9:20: clock core rate must be positive, found '0'", error("    clocks: {core: 0}\n"));
        assertEquals("c.yaml:9:20: frequency '99999999999GHz' for clock core rate is too large",
                error("    clocks: {core: 99999999999GHz}\n"));
        assertEquals("c.yaml:9:14: bad clock name 'co re' (letters, digits, '_', '-')",
                error("    clocks: {\"co re\": 1MHz}\n"));
    }

    @Test
    void shouldPointAtBadSupplies() {
        assertEquals("c.yaml:9:15: supplies must be a list, found a map", error("    supplies: {vdd: 1}\n"));
        assertEquals("c.yaml:9:21: supply 'vdd' is listed twice", error("    supplies: [vdd, vdd]\n"));
        assertEquals("c.yaml:9:16: bad supply name 'v/dd' (letters, digits, '_', '-')",
                error("    supplies: [\"v/dd\"]\n"));
        assertFalse(error("    suplies: [vdd]\n").isEmpty());
    }
}
