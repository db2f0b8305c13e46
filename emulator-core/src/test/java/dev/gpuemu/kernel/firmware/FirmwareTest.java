package dev.gpuemu.kernel.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drivers.edu.EduDriver;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.pci.Bdf;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/// `request_firmware()` over the machine's firmware table, and what a driver's probe does with a
/// missing or corrupt file: the probe fails with a logged error, other devices still bind and the
/// machine shuts down clean.
class FirmwareTest {
    private static final String FW_NAME = "acme/widget-fw.bin";
    private static final byte[] MAGIC = "WFW1".getBytes(StandardCharsets.US_ASCII);
    private static final FirmwareNode NODE = new FirmwareNode("fe000000.widget", List.of("acme,widget"),
            List.of(new FirmwareNode.Reg(0xFE00_0000L, 0x1000)), List.of(), List.of());

    /// Requests `fwName` at probe and accepts it only when it starts with [#MAGIC].
    private record WidgetDriver(String fwName) implements PlatformDriver<Integer> {
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
            Firmware fw = Firmware.request(pdev, fwName);
            ByteBuffer b = fw.data();
            byte[] head = new byte[MAGIC.length];
            if (b.remaining() < head.length || !Arrays.equals(readHead(b, head), MAGIC)) {
                pdev.err("invalid firmware " + fw.name() + " (bad magic)");
                throw new KernelException(Errno.EINVAL);
            }
            pdev.info("loaded " + fw);
            return fw.size();
        }
    }

    private static byte[] readHead(ByteBuffer b, byte[] into) {
        b.get(into);
        return into;
    }

    private record Run(List<String> log, boolean widgetBound, boolean eduBound, boolean clean) {
    }

    private static Run boot(byte[] firmware) throws KernelException {
        return boot(FW_NAME, firmware);
    }

    private static Run boot(String requested, byte[] firmware) throws KernelException {
        Machine.Builder b = Machine.builder().ramBytes(16 << 20).firmware(NODE)
                .pci(new PciSlot(new Bdf(0, 4, 0), hw -> new EduDevice(hw, "0000:00:04.0")))
                .module(k -> k.pciBus().register(new EduDriver()))
                .module(k -> k.platformBus().register(new WidgetDriver(requested)));
        if (firmware != null) {
            b.firmwareFile(FW_NAME, firmware);
        }
        Machine m = b.build();
        List<String> log = new ArrayList<>();
        m.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        m.boot();
        boolean widget = m.kernel().platformBus().device(NODE.name()).orElseThrow().driverName().isPresent();
        boolean edu = m.kernel().pciBus().devices().getFirst().driverName().isPresent();
        m.close();
        return new Run(log, widget, edu, m.report().clean());
    }

    @Test
    void shouldHandDriverTheFirmwareBytesReadOnly() throws KernelException {
        byte[] contents = {'W', 'F', 'W', '1', 7, 8};
        Run r = boot(contents);
        assertTrue(r.widgetBound(), r.log().toString());
        assertTrue(r.log().stream().anyMatch(l -> l.contains("loaded firmware " + FW_NAME + " (6 bytes)")), r.log().toString());
        assertTrue(r.clean());
    }

    @Test
    void shouldFailProbeWithEnoentAndLinuxMessageWhenFileMissingAndKeepRunning() throws KernelException {
        Run r = boot(null);
        assertFalse(r.widgetBound());
        assertTrue(r.log().contains("WARNING widget fe000000.widget: Direct firmware load for " + FW_NAME
                + " failed with error -2"), r.log().toString());
        assertTrue(r.log().contains("WARNING widget: probe of fe000000.widget failed with error -2"), r.log().toString());
        assertTrue(r.eduBound(), "the other device still binds");
        assertTrue(r.clean(), "a failed probe is no oops, leak or emulator failure");
    }

    @Test
    void shouldFailProbeWithDriverErrorWhenFileCorruptAndKeepRunning() throws KernelException {
        Run r = boot(new byte[] {'X', 'X'});
        assertFalse(r.widgetBound());
        assertTrue(r.log().contains("ERR widget fe000000.widget: invalid firmware " + FW_NAME + " (bad magic)"),
                r.log().toString());
        assertTrue(r.log().contains("WARNING widget: probe of fe000000.widget failed with error -22"), r.log().toString());
        assertTrue(r.eduBound());
        assertTrue(r.clean());
    }

    @Test
    void shouldCopyTableAtBuildAndRejectWritesAndEmptyNames() throws KernelException {
        byte[] contents = {'W', 'F', 'W', '1'};
        Machine m = Machine.builder().ramBytes(1 << 20).firmware(NODE).firmwareFile(FW_NAME, contents).build();
        contents[0] = 'Z';
        m.boot();
        ByteBuffer seen = m.kernel().hw().firmwareFiles().lookup(FW_NAME).orElseThrow();
        assertEquals('W', seen.get(0), "the machine keeps its own copy");
        assertThrows(ReadOnlyBufferException.class, () -> seen.put(0, (byte) 1));
        assertTrue(m.kernel().hw().firmwareFiles().lookup("other.bin").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> Machine.builder().firmwareFile("", new byte[1]));
        assertThrows(IllegalArgumentException.class,
                () -> Machine.builder().firmwareFile("a", new byte[1]).firmwareFile("a", new byte[1]));
        m.close();
    }

    @Test
    void shouldAnswerEinvalWithoutLookupForEmptyName() throws KernelException {
        Run r = boot("", new byte[] {'W', 'F', 'W', '1'});
        assertFalse(r.widgetBound());
        assertTrue(r.log().contains("WARNING widget: probe of fe000000.widget failed with error -22"), r.log().toString());
        assertFalse(r.log().stream().anyMatch(l -> l.contains("Direct firmware load")), r.log().toString());
    }
}
