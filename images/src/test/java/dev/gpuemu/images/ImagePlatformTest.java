package dev.gpuemu.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.firmware.Firmware;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.bus.SysBusDevice;
import dev.gpuemu.machine.irq.IrqLine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Platform devices and firmware files through an image: a test model and driver registered in
/// an extended registry, the node and model wired from the file, the firmware table reaching the
/// driver's `request_firmware`, and the positioned errors only platform devices can have.
class ImagePlatformTest {
    private static final long WIDGET_BASE = 0xFE00_0000L;
    private static final String FW = "acme/widget.bin";

    @TempDir
    Path dir;

    private final AtomicReference<List<IrqLine>> wiredIrqs = new AtomicReference<>();

    /// One 4 KiB register block whose register 0 reads the `id` parameter; one interrupt output.
    private final class Widget implements SysBusDevice, AutoCloseable {
        private final MmioRegion regs;

        Widget(long id) {
            regs = MmioRegion.builder("widget", 0x1000).registers(0, 0x10, AccessSpec.DWORD_ONLY, new RegisterHandler() {
                @Override
                public long read(long offset, AccessSize size) {
                    return offset == 0 ? id : 0;
                }

                @Override
                public void write(long offset, AccessSize size, long value) {
                }
            }).build();
        }

        @Override
        public List<MmioRegion> regions() {
            return List.of(regs);
        }

        @Override
        public void connectIrqs(List<IrqLine> lines) {
            wiredIrqs.set(lines);
        }

        @Override
        public void close() {
            regs.close();
        }
    }

    /// Requests [#FW] and accepts it when it starts with `WFW1`.
    private static final class WidgetDriver implements PlatformDriver<Integer> {
        @Override
        public String name() {
            return "widget";
        }

        @Override
        public List<String> ofMatchTable() {
            return List.of("acme,widget");
        }

        @Override
        public Integer probe(PlatformDevice<Core> pdev) throws KernelException {
            Firmware fw = Firmware.request(pdev, FW);
            ByteBuffer b = fw.data();
            if (b.remaining() < 4 || b.getInt() != 0x5746_5731) {
                pdev.err("invalid firmware " + fw.name());
                throw new KernelException(Errno.EINVAL);
            }
            return fw.size();
        }
    }

    private final DeviceRegistry registry = DeviceRegistry.builtin().toBuilder()
            .platform(new PlatformModel("widget", List.of(0x1000L), 1,
                    List.of(new ModelParam("id", ModelParam.Type.INT, 0x5749L, "value of the ID register"),
                            new ModelParam("fast", ModelParam.Type.BOOL, false, "unused")),
                    (hw, name, params) -> new Widget(params.getLong("id"))))
            .driver("widget", k -> k.platformBus().register(new WidgetDriver()))
            .build();

    private static final String HEAD = """
            name: plat
            description: platform test
            """;

    private static String widget(String name, String base, String extra) {
        return "  - name: " + name + "\n    model: widget\n    compatible: [\"acme,widget\"]\n    reg:\n      - {base: " + base
                + ", size: 4KiB}\n    interrupts: [40]\n    interrupt-names: [job]\n" + extra;
    }

    private Image load(String text) throws IOException, ImageException {
        Path p = dir.resolve("p.yaml");
        Files.writeString(p, text);
        return ImageLoader.load(p, "p.yaml", registry);
    }

    private String error(String text) {
        return assertThrows(ImageException.class, () -> load(text)).getMessage();
    }

    private record Run(List<String> log, boolean widgetBound, boolean eduBound, long id, boolean clean) {
    }

    private Run boot(Image img) throws KernelException {
        Machine m = img.builder().build();
        List<String> log = new ArrayList<>();
        m.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        m.boot();
        long id = m.kernel().hw().mmio().read(WIDGET_BASE, AccessSize.DWORD);
        boolean widget = m.kernel().platformBus().device("fe000000.widget").orElseThrow().driverName().isPresent();
        boolean edu = m.kernel().pciBus().devices().getFirst().driverName().isPresent();
        m.close();
        return new Run(log, widget, edu, id, m.report().clean());
    }

    private Image imageWithFirmware(byte[] contents) throws IOException, ImageException {
        Files.write(dir.resolve("widget.bin"), contents);
        return load(HEAD + "pci:\n  - {slot: 00:04.0, model: edu}\nplatform:\n"
                + widget("fe000000.widget", "0xfe000000", "    params: {id: 0x77}\n")
                + "drivers: [edu, widget]\nfirmware:\n  " + FW + ": widget.bin\n");
    }

    @Test
    void shouldMapModelAtRegBaseWireIrqsPassParamsAndFeedFirmware() throws Exception {
        Run r = boot(imageWithFirmware(new byte[] {'W', 'F', 'W', '1', 0}));
        assertEquals(0x77, r.id(), "param id reached the model, region mapped at the reg base");
        assertTrue(r.widgetBound(), r.log().toString());
        assertEquals(1, wiredIrqs.get().size());
        assertTrue(r.clean());
    }

    @Test
    void shouldFailProbeOnCorruptFirmwareAndKeepBooting() throws Exception {
        Run r = boot(imageWithFirmware(new byte[] {'B', 'A', 'D', '!'}));
        assertFalse(r.widgetBound());
        assertTrue(r.log().contains("ERR widget fe000000.widget: invalid firmware " + FW), r.log().toString());
        assertTrue(r.log().contains("WARNING widget: probe of fe000000.widget failed with error -22"), r.log().toString());
        assertTrue(r.eduBound());
        assertTrue(r.clean());
    }

    @Test
    void shouldFailProbeWithEnoentWhenImageHasNoSuchFirmware() throws Exception {
        Run r = boot(load(HEAD + "pci:\n  - {slot: 00:04.0, model: edu}\nplatform:\n"
                + widget("fe000000.widget", "0xfe000000", "") + "drivers: [edu, widget]\n"));
        assertFalse(r.widgetBound());
        assertTrue(r.log().contains("WARNING widget fe000000.widget: Direct firmware load for " + FW + " failed with error -2"),
                r.log().toString());
        assertEquals(0x5749, r.id(), "default parameter value");
        assertTrue(r.eduBound());
        assertTrue(r.clean());
    }

    @Test
    void shouldPointAtOverlappingMmio() {
        assertEquals("p.yaml:15:16: MMIO range 0xfe000800-0xfe0017ff of b reg 0 overlaps a reg 0 (0xfe000000-0xfe000fff)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "") + widget("b", "0xfe000800", "")));
        assertEquals("p.yaml:8:16: MMIO range 0x1000-0x1fff of a reg 0 overlaps system RAM (0x0-0xfffffff)",
                error(HEAD + "platform:\n" + widget("a", "0x1000", "")));
        assertEquals("p.yaml:8:16: MMIO range 0xc0000000-0xc0000fff of a reg 0 overlaps the PCI 32-bit memory window "
                + "(0xc0000000-0xefffffff)", error(HEAD + "platform:\n" + widget("a", "0xc0000000", "")));
    }

    @Test
    void shouldPointAtPlatformMismatchesWithTheModel() {
        assertEquals("p.yaml:8:34: reg 0 size 0x2000 does not match model widget (0x1000)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "").replace("4KiB", "8KiB")));
        assertEquals("p.yaml:9:17: model widget has 1 interrupt(s), interrupts lists 2",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "").replace("[40]", "[40, 41]")));
        assertEquals("p.yaml:9:18: interrupt 17 is a PCI INTx line (16..19)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "").replace("[40]", "[17]")));
        assertEquals("p.yaml:10:22: interrupt-names lists 2 name(s) for 1 interrupt(s)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "").replace("[job]", "[job, mmu]")));
        assertEquals("p.yaml:11:20: parameter fast must be true or false, found 'yes please'",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "    params: {fast: yes please}\n")));
        assertEquals("p.yaml:11:14: unknown parameter 'slow' for model widget (known: id, fast)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "    params: {slow: 1}\n")));
        assertEquals("p.yaml:11:11: platform device 'a' is already defined (line 4)",
                error(HEAD + "platform:\n" + widget("a", "0xfe000000", "") + widget("a", "0xfe100000", "")));
    }
}
