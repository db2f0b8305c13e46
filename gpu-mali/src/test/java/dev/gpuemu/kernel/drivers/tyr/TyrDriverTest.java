package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.ClkCore;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.regs.mali.MaliRegs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/// The Tyr driver's probe failures the real G610 cannot produce (a soft reset that never
/// completes, an L2 that never powers on), against a register-level fake ([FakeG610]); everything
/// else runs against the real model in [TyrG610Test]. Also holds the shared node and firmware.
class TyrDriverTest {
    static final String DEV = "fb000000.gpu";
    static final String P = "tyr " + DEV + ": ";
    static final FirmwareNode NODE = new FirmwareNode(DEV, List.of(MaliRegs.COMPATIBLE_RK3588, MaliRegs.COMPATIBLE_VALHALL_CSF),
            List.of(new FirmwareNode.Reg(0xFB00_0000L, MaliRegs.MMIO_SIZE)), List.of(40, 41, 42), List.of("job", "mmu", "gpu"),
            List.of(new FirmwareNode.Clock("core", 200_000_000L), new FirmwareNode.Clock("stacks", 200_000_000L),
                    new FirmwareNode.Clock("coregroup", 200_000_000L)),
            List.of("mali", "sram"));

    private final List<String> log = new ArrayList<>();
    private final AtomicReference<TyrData> data = new AtomicReference<>();
    private FakeG610 fake;

    /// A firmware container: a code section at 0 and the shared section, plus build info.
    static byte[] firmware() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MaliFwFormat.HEADER_MAGIC).put((byte) 0).put((byte) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0);
        int entry = 4 + MaliFwFormat.IFACE_HEADER_SIZE + 8;
        b.putInt(MaliFwFormat.ehdr(MaliFwFormat.ENTRY_TYPE_IFACE, entry, false));
        b.putInt(MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_EX | MaliFwFormat.IFACE_CACHE_MODE_CACHED)
                .putInt(0).putInt(0x1000).putInt(200).putInt(208).put("code\0\0\0\0".getBytes());
        b.putInt(MaliFwFormat.ehdr(MaliFwFormat.ENTRY_TYPE_IFACE, entry, false));
        b.putInt(MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_WR | MaliFwFormat.IFACE_SHARED | MaliFwFormat.IFACE_ZERO)
                .putInt((int) CsfIface.SHARED_REGION_START).putInt((int) CsfIface.SHARED_REGION_START + 0x2000)
                .putInt(0).putInt(0).put("shared\0\0".getBytes());
        b.putInt(MaliFwFormat.ehdr(MaliFwFormat.ENTRY_TYPE_BUILD_INFO_METADATA, 12, true)).putInt(220).putInt(16);
        int size = b.position();
        b.putInt(16, size);
        b.position(200).putLong(0x1122334455667788L);
        b.position(220).put("git_sha: 0123abc".getBytes());
        return b.array();
    }

    private Machine boot(Consumer<FakeG610> setup, byte[] fw) throws KernelException {
        Machine.Builder b = Machine.builder().ramBytes(64 << 20).platform(new PlatformSlot(NODE, hw -> {
            fake = new FakeG610(hw);
            setup.accept(fake);
            return fake;
        })).module(k -> k.platformBus().register(new PlatformDriver<TyrData>() {
            private final TyrDriver tyr = new TyrDriver();

            @Override
            public String name() {
                return tyr.name();
            }

            @Override
            public List<String> ofMatchTable() {
                return tyr.ofMatchTable();
            }

            @Override
            public TyrData probe(PlatformDevice<Core> pdev) throws KernelException {
                TyrData d = tyr.probe(pdev);
                data.set(d);
                return d;
            }
        }));
        if (fw != null) {
            b.firmwareFile(MaliFwFormat.firmwareName(10, 8), fw);
        }
        Machine m = b.build();
        m.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        m.boot();
        return m;
    }

    private boolean has(String line) {
        return log.stream().anyMatch(l -> l.endsWith(line));
    }

    private int clocksOn(Machine m) {
        ClkCore c = ClkCore.of(m.kernel());
        return c.clockEnableCount(DEV, "core") + c.clockEnableCount(DEV, "stacks") + c.clockEnableCount(DEV, "coregroup");
    }

    @Test
    void shouldFailWithEioAndTyrMessagesWhenResetNeverCompletes() throws KernelException {
        Machine m = boot(f -> f.breakReset = true, firmware());
        assertTrue(has(P + "GPU reset failed with errno"), log.toString());
        assertTrue(has(P + "GPU_INT_RAWSTAT is 0"), log.toString());
        assertTrue(has("tyr: probe of " + DEV + " failed with error -5"), log.toString());
        assertEquals(0, clocksOn(m), "a failed probe leaves no clock on");
        m.close();
        assertEquals(0, m.kernel().oopses().count());
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldFailWithEioWhenL2NeverPowersOn() throws KernelException {
        Machine m = boot(f -> f.breakL2 = true, firmware());
        assertTrue(has(P + "Failed to power on the GPU"), log.toString());
        assertTrue(has("tyr: probe of " + DEV + " failed with error -5"), log.toString());
        assertEquals(0, clocksOn(m));
        m.close();
    }
}
