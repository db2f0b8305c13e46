package dev.gpuemu.kernel.clk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.KernelOops;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.bus.platform.PlatformDevice;
import dev.gpuemu.kernel.bus.platform.PlatformDriver;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.machine.FirmwareNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/// Clocks and regulators from the firmware node: required and optional lookups, rates, enable
/// counts shared in [ClkCore], ENOENT with the Linux message for a missing required clock, the
/// dummy regulator, unbalanced disables as oopses, and handles dying with the binding.
class ClkTest {
    private static final String DEV = "fb000000.gpu";
    private static final FirmwareNode NODE = new FirmwareNode(DEV, List.of("acme,gpu"),
            List.of(new FirmwareNode.Reg(0xFB00_0000L, 0x1000)), List.of(), List.of(),
            List.of(new FirmwareNode.Clock("core", 200_000_000L), new FirmwareNode.Clock("stacks", 300_000_000L)),
            List.of("mali"));

    /// What a test probe got: handles to poke after unbind.
    private record Got(Clk core, Clk missing, Regulator mali, Regulator sram) {
    }

    private interface Body {
        Got run(PlatformDevice<Core> pdev) throws KernelException;
    }

    private final List<String> log = new ArrayList<>();

    private Machine boot(Body body, AtomicReference<Got> got) throws KernelException {
        Machine m = Machine.builder().ramBytes(1 << 20).firmware(NODE).module(k -> k.platformBus().register(
                new PlatformDriver<Got>() {
                    @Override
                    public String name() {
                        return "gpu";
                    }

                    @Override
                    public List<String> ofMatchTable() {
                        return List.of("acme,gpu");
                    }

                    @Override
                    public Got probe(PlatformDevice<Core> pdev) throws KernelException {
                        Got g = body.run(pdev);
                        got.set(g);
                        return g;
                    }
                })).build();
        m.kernel().log().addListener(e -> log.add(e.level() + " " + e.message()));
        m.boot();
        return m;
    }

    @Test
    void shouldEnableNodeClocksWithTheirRatesAndCountEnablesPerInput() throws KernelException {
        AtomicReference<Got> got = new AtomicReference<>();
        Machine m = boot(p -> {
            Clk core = Clk.get(p.bound(), "core");
            Clk again = Clk.get(p.bound(), "core");
            Clk coregroup = Clk.getOptional(p.bound(), "coregroup");
            assertEquals(200_000_000L, core.rate());
            assertTrue(core.isPresent());
            assertFalse(coregroup.isPresent(), "an optional clock the node lacks is the null clock");
            assertEquals(0, coregroup.rate());
            core.prepareEnable();
            again.prepareEnable();
            coregroup.prepareEnable();
            coregroup.disableUnprepare();
            assertEquals(2, ClkCore.of(p.kernel()).clockEnableCount(DEV, "core"));
            again.disableUnprepare();
            Regulator mali = Regulator.get(p.bound(), "mali");
            mali.enable();
            return new Got(core, coregroup, mali, null);
        }, got);
        ClkCore clk = ClkCore.of(m.kernel());
        assertEquals(1, clk.clockEnableCount(DEV, "core"));
        assertEquals(1, clk.supplyEnableCount(DEV, "mali"));
        assertEquals(Map.of("clk " + DEV + "/core", 1, "supply " + DEV + "/mali", 1), clk.enabled());
        assertTrue(got.get().core().isEnabled());
        got.get().core().disableUnprepare();
        assertEquals(0, clk.clockEnableCount(DEV, "core"));
        m.close();
        assertEquals(0, m.kernel().oopses().count());
    }

    @Test
    void shouldFailRequiredClockWithEnoentAndLinuxMessage() throws KernelException {
        AtomicReference<Got> got = new AtomicReference<>();
        Machine m = boot(p -> {
            Clk.get(p.bound(), "coregroup");
            return null;
        }, got);
        assertTrue(log.contains("ERR gpu " + DEV + ": error -ENOENT: failed to get clock coregroup"), log.toString());
        assertTrue(log.contains("WARNING gpu: probe of " + DEV + " failed with error -2"), log.toString());
        assertTrue(m.kernel().platformBus().device(DEV).orElseThrow().driverName().isEmpty());
        m.close();
        assertEquals(0, m.kernel().oopses().count(), "a missing clock is an errno, not an oops");
    }

    @Test
    void shouldServeMissingSupplyWithDummyRegulatorAndWarning() throws KernelException {
        AtomicReference<Got> got = new AtomicReference<>();
        Machine m = boot(p -> {
            Regulator sram = Regulator.get(p.bound(), "sram");
            sram.enable();
            assertThrows(KernelException.class, () -> Regulator.getExclusive(p.bound(), "vdd"));
            return new Got(null, null, null, sram);
        }, got);
        assertTrue(log.contains("WARNING gpu " + DEV + ": sram-supply not found, using dummy regulator"), log.toString());
        assertTrue(log.contains("ERR gpu " + DEV + ": error -ENODEV: failed to get regulator vdd"), log.toString());
        assertTrue(got.get().sram().isDummy());
        assertEquals(0, ClkCore.of(m.kernel()).supplyEnableCount(DEV, "sram"), "the dummy counts nothing");
        m.close();
    }

    @Test
    void shouldCountUnbalancedDisableAsOops() throws KernelException {
        AtomicReference<Got> got = new AtomicReference<>();
        Machine m = boot(p -> new Got(Clk.get(p.bound(), "core"), null, Regulator.get(p.bound(), "mali"), null), got);
        assertThrows(KernelOops.class, () -> got.get().core().disableUnprepare());
        assertThrows(KernelOops.class, () -> got.get().mali().disable());
        assertEquals(2, m.kernel().oopses().count());
        m.close();
    }

    @Test
    void shouldPutHandlesAtUnbindDisablingLeftoverSuppliesAndRejectLaterUse() throws KernelException {
        AtomicReference<Got> got = new AtomicReference<>();
        Machine m = boot(p -> {
            Regulator mali = Regulator.get(p.bound(), "mali");
            mali.enable();
            return new Got(Clk.get(p.bound(), "stacks"), null, mali, null);
        }, got);
        assertEquals(0, m.kernel().sysfs().unbind("platform", "gpu", DEV));
        assertEquals(0, ClkCore.of(m.kernel()).supplyEnableCount(DEV, "mali"), "devres disabled the supply");
        assertThrows(UseAfterUnbindException.class, () -> got.get().core().prepareEnable());
        assertThrows(UseAfterUnbindException.class, () -> got.get().mali().enable());
        m.close();
    }
}
