package dev.gpuemu.kernel.drivers.tyr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PlatformSlot;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.clk.ClkCore;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.drivers.tyr.mmu.TyrVm;
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

/// The Tyr driver against a register-level fake G610: probe order and log lines, every probe
/// failure path with its message and errno (and clocks left off), unbind tearing down in order,
/// and the MMU's page tables as the device walks them.
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
    void shouldProbeInTyrOrderAndPrintTheCorrectlyDecodedLines() throws KernelException {
        Machine m = boot(f -> { }, firmware());
        assertTrue(has(P + "mali-g610 id 0xa867 major 0x0 minor 0x0 status 0x5"), log.toString());
        assertTrue(has(P + "Features: L2:0x7120306 Tiler:0x809 Mem:0x301 MMU:0x2830 AS:0xff"), log.toString());
        assertTrue(has(P + "shader_present=0x0000000000050005 l2_present=0x0000000000000001 tiler_present=0x0000000000000001"));
        assertTrue(has(P + "Firmware git_sha: 0123abc"), log.toString());
        assertTrue(has(P + "CSF FW using interface v1.1.0, Features 0x1 Instrumentation features 0x30"), log.toString());
        assertTrue(has(P + "Tyr initialized correctly."));
        assertTrue(log.stream().anyMatch(l -> l.contains("[drm] Initialized panthor 1.5.0") && l.contains("on minor")), log.toString());
        int idx = 0;
        for (String s : List.of("mali-g610 id", "CSF FW using", "Initialized panthor", "Tyr initialized")) {
            int at = indexOf(s);
            assertTrue(at > idx, s + " out of order: " + log);
            idx = at;
        }
        assertEquals(3, clocksOn(m));
        assertEquals(0, data.get().registrationData().fw().vm().as(), "the MCU VM sits in AS0");
        m.close();
        assertEquals(0, m.kernel().oopses().count());
    }

    private int indexOf(String s) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(s)) {
                return i;
            }
        }
        return -1;
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

    @Test
    void shouldFailWithEtimedoutWhenMcuNeverBootsAndStopIt() throws KernelException {
        Machine m = boot(f -> f.breakMcu = true, firmware());
        assertTrue(has(P + "Failed to boot MCU (status=disabled)"), log.toString());
        assertTrue(has("tyr: probe of " + DEV + " failed with error -110"), log.toString());
        assertEquals(0, clocksOn(m));
        m.close();
        assertEquals(0, m.kernel().oopses().count());
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldFailWithEnoentWithoutFirmwareAndEinvalForCorruptOne() throws KernelException {
        Machine m = boot(f -> { }, null);
        assertTrue(has("Direct firmware load for arm/mali/arch10.8/mali_csffw.bin failed with error -2"), log.toString());
        assertTrue(has("tyr: probe of " + DEV + " failed with error -2"), log.toString());
        m.close();
        log.clear();
        byte[] bad = firmware();
        bad[0] ^= 1;
        m = boot(f -> { }, bad);
        assertTrue(has(P + "Invalid firmware magic"), log.toString());
        assertTrue(has("tyr: probe of " + DEV + " failed with error -22"), log.toString());
        assertEquals(0, clocksOn(m));
        m.close();
        log.clear();
        byte[] truncated = firmware();
        truncated[16] = (byte) 0xFF;
        truncated[17] = (byte) 0x7F;
        m = boot(f -> { }, truncated);
        assertTrue(has(P + "Firmware image is truncated"), log.toString());
        m.close();
    }

    @Test
    void shouldUnplugStopMcuAndDisableClocksAtUnbindWithoutOopsOrLeak() throws KernelException {
        Machine m = boot(f -> { }, firmware());
        TyrRegistration reg = data.get().registrationData();
        assertEquals(0, m.kernel().sysfs().unbind("platform", "tyr", DEV));
        assertTrue(reg.isClosed());
        assertTrue(data.get().drm().device().isUnplugged());
        assertEquals(0, clocksOn(m));
        assertTrue(reg.fw().vm().isDestroyed());
        m.close();
        assertEquals(0, m.kernel().oopses().count());
        assertTrue(m.report().clean(), m.report().toString());
    }

    @Test
    void shouldMapPagesTheDeviceWalksAndRejectBadRanges() throws KernelException {
        Machine m = boot(f -> { }, firmware());
        var mmu = data.get().registrationData().mmu();
        TyrVm vm = mmu.createVm("user", false, 0x1000_0000L, 0x2000_0000L);
        int as = mmu.activate(vm);
        assertTrue(as >= 1 && as < 8, "user VMs never take AS0: " + as);
        int before = fake.asCommands;
        long[] pages = {0x0020_0000L, 0x0030_0000L};
        vm.map(0x1000_0000L, pages, TyrVm.MAP_READONLY);
        assertTrue(fake.asCommands >= before + 3, "LOCK, FLUSH_PT, UNLOCK");
        assertEquals(0x0030_0010L, fake.translate(as, 0x1000_1010L));
        assertEquals(0x0030_0010L, vm.translate(0x1000_1010L));
        assertThrows(KernelException.class, () -> vm.map(0x1000_0000L, pages, 0), "already mapped");
        assertThrows(KernelException.class, () -> vm.map(0x1000_0800L, pages, 0), "misaligned");
        assertThrows(KernelException.class, () -> vm.map(0x0FFF_F000L, pages, 0), "below the range");
        assertEquals(2, vm.unmap(0x1000_0000L, 0x4000));
        assertEquals(-1, fake.translate(as, 0x1000_1010L));
        vm.destroy();
        assertThrows(IllegalStateException.class, vm::destroy);
        assertFalse(vm.as() >= 0);
        assertNotNull(data.get());
        m.close();
        assertEquals(0, m.kernel().oopses().count());
    }
}
