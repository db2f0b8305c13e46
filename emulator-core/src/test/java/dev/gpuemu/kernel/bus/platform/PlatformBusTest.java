package dev.gpuemu.kernel.bus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.Kernel;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.UseAfterUnbindException;
import dev.gpuemu.kernel.driver.Core;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.kernel.io.IoResources;
import dev.gpuemu.machine.FirmwareNode;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// Platform devices from firmware nodes: naming, compatible matching, MMIO resources (claim,
/// map, release at unbind) and interrupt lookup.
///
/// The widget node's first MMIO range is backed by a small region the test maps on the machine's
/// MMIO bus: an ID register at 0x0 and scratch memory at 0x100.
class PlatformBusTest {
    private static final long WIDGET_BASE = 0xFE00_0000L;
    private static final long WIDGET_ID = 0x5749_4447L;
    private static final String WIDGET = "fe000000.widget";
    private static final String GADGET = "fd000000.gadget";
    private static final FirmwareNode WIDGET_NODE = new FirmwareNode(WIDGET,
            List.of("acme,widget-v2", "acme,widget"),
            List.of(new FirmwareNode.Reg(WIDGET_BASE, 0x1000), new FirmwareNode.Reg(0xFE01_0000L, 0x100)),
            List.of(40, 41), List.of("job", "mmu"));
    private static final FirmwareNode GADGET_NODE = new FirmwareNode(GADGET, List.of("acme,gadget"),
            List.of(new FirmwareNode.Reg(0xFD00_0000L, 0x1000)), List.of(), List.of());

    private Machine machine;
    private Kernel kernel;
    private MmioRegion widgetRegs;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() throws KernelException {
        machine = Machine.builder().ramBytes(1 << 20).firmware(WIDGET_NODE).firmware(GADGET_NODE).build();
        kernel = machine.kernel();
        widgetRegs = MmioRegion.builder("widget", 0x1000)
                .registers(0, 0x10, AccessSpec.DWORD_ONLY, new RegisterHandler() {
                    @Override
                    public long read(long offset, AccessSize size) {
                        return offset == 0 ? WIDGET_ID : 0;
                    }

                    @Override
                    public void write(long offset, AccessSize size, long value) {
                    }
                })
                .memory(0x100, 0x100, AccessSpec.ANY_ALIGNED, false)
                .build();
        kernel.hw().mmio().map(WIDGET_BASE, widgetRegs);
        machine.boot();
    }

    @AfterEach
    void tearDown() {
        machine.close();
        widgetRegs.close();
    }

    private PlatformDev dev(String name) {
        return kernel.platformBus().device(name).orElseThrow();
    }

    /// A driver for `compatible` whose probe runs `body` and records probe and unbind.
    private void register(String name, List<String> compatible, ProbeBody body) throws KernelException {
        kernel.platformBus().register(new PlatformDriver<Object>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> ofMatchTable() {
                return compatible;
            }

            @Override
            public Object probe(PlatformDevice<Core> pdev) throws KernelException {
                events.add(name + " probe " + pdev.name());
                return body.probe(pdev);
            }

            @Override
            public void unbind(PlatformDevice<Core> pdev, Object data) {
                events.add(name + " unbind " + pdev.name());
            }
        });
    }

    @FunctionalInterface
    private interface ProbeBody {
        Object probe(PlatformDevice<Core> pdev) throws KernelException;
    }

    private static Errno errnoOf(ThrowingCall call) {
        try {
            call.run();
        } catch (KernelException e) {
            return e.errno();
        }
        return null;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws KernelException;
    }

    @Test
    void shouldCreateOnePlatformDeviceNamedAfterEachFirmwareNode() {
        List<String> names = kernel.platformBus().devices().stream().map(PlatformDev::name).toList();
        assertEquals(List.of(WIDGET, GADGET), names);
        assertEquals(WIDGET_NODE, dev(WIDGET).firmwareNode());
        assertEquals("compatible acme,widget-v2, acme,widget", dev(WIDGET).describe());
        assertFalse(dev(WIDGET).isBound());
        assertFalse(dev(GADGET).isBound());
    }

    @Test
    void shouldBindByAnyCompatibleStringOfTheNodeAndNotByOthers() throws KernelException {
        register("nomatch", List.of("acme,widget-v3", "acme,other"), pdev -> new Object());
        assertFalse(dev(WIDGET).isBound());
        assertFalse(dev(GADGET).isBound());
        // The node's first (most specific) string binds the widget only.
        register("specific", List.of("acme,widget-v2"), pdev -> new Object());
        assertEquals("specific", dev(WIDGET).driverName().orElseThrow());
        assertFalse(dev(GADGET).isBound());
        // A driver listing the widget's second string and the gadget's binds the free gadget.
        register("generic", List.of("acme,widget", "acme,gadget"), pdev -> new Object());
        assertEquals("generic", dev(GADGET).driverName().orElseThrow());
        // And the widget by its second string, once it is free.
        assertEquals(0, kernel.sysfs().unbind("platform", "specific", WIDGET));
        assertEquals(0, kernel.sysfs().bind("platform", "generic", WIDGET));
        assertEquals("generic", dev(WIDGET).driverName().orElseThrow());
        // A driver whose table names none of the node's strings cannot be bound by hand either.
        assertEquals(0, kernel.sysfs().unbind("platform", "generic", WIDGET));
        assertEquals(Errno.ENODEV.negative(), kernel.sysfs().bind("platform", "nomatch", WIDGET));
        assertFalse(dev(WIDGET).isBound());
        assertEquals(List.of("specific probe " + WIDGET, "generic probe " + GADGET, "specific unbind " + WIDGET,
                "generic probe " + WIDGET, "generic unbind " + WIDGET), events);
    }

    @Test
    void shouldMapNodeMmioRangeAndRefuseSecondClaimAndMissingResource() throws KernelException {
        AtomicReference<IoMem> io = new AtomicReference<>();
        List<Errno> errors = new ArrayList<>();
        AtomicReference<Long> size1 = new AtomicReference<>();
        register("widget", List.of("acme,widget"), pdev -> {
            io.set(pdev.ioremapResource(0, "widget-regs"));
            errors.add(errnoOf(() -> pdev.ioremapResource(0, "widget-regs-again")));
            errors.add(errnoOf(() -> pdev.ioremapResource(2, "widget-none")));
            errors.add(errnoOf(() -> pdev.ioremapResource(-1, "widget-negative")));
            errors.add(errnoOf(() -> pdev.resourceSize(2)));
            size1.set(pdev.resourceSize(1));
            return new Object();
        });
        assertTrue(dev(WIDGET).isBound());
        assertEquals(List.of(Errno.EBUSY, Errno.ENXIO, Errno.ENXIO, Errno.ENXIO), errors);
        assertEquals(0x100L, size1.get());
        // The mapping covers the node's range and reaches the region mapped there.
        IoMem regs = io.get();
        assertEquals(WIDGET_BASE, regs.base());
        assertEquals(0x1000, regs.size());
        assertEquals(WIDGET_ID, regs.read32(0) & 0xFFFF_FFFFL);
        regs.write32(0x100, 0x1234_5678);
        assertEquals(0x1234_5678, regs.read32(0x100));
        assertEquals(List.of(new IoResources.Claim(WIDGET_BASE, 0x1000, "widget-regs")),
                kernel.ioResources().claims());
        assertEquals(0, kernel.oopses().count());
    }

    @Test
    void shouldLookUpIrqsByIndexAndNameAndAnswerEnxioOtherwise() throws KernelException {
        List<Integer> irqs = new ArrayList<>();
        List<Errno> errors = new ArrayList<>();
        register("any", List.of("acme,widget", "acme,gadget"), pdev -> {
            if (pdev.name().equals(WIDGET)) {
                irqs.add(pdev.irq(0));
                irqs.add(pdev.irq(1));
                irqs.add(pdev.irqByName("mmu"));
                irqs.add(pdev.irqByName("job"));
                errors.add(errnoOf(() -> pdev.irq(2)));
                errors.add(errnoOf(() -> pdev.irq(-1)));
                errors.add(errnoOf(() -> pdev.irqByName("gpu")));
            } else {
                errors.add(errnoOf(() -> pdev.irq(0)));
                errors.add(errnoOf(() -> pdev.irqByName("job")));
            }
            return new Object();
        });
        assertEquals(List.of(40, 41, 41, 40), irqs);
        assertEquals(List.of(Errno.ENXIO, Errno.ENXIO, Errno.ENXIO, Errno.ENXIO, Errno.ENXIO), errors);
    }

    @Test
    void shouldReleaseClaimAtUnbindSoThatRebindMapsAgain() throws KernelException {
        List<IoMem> maps = new ArrayList<>();
        AtomicInteger probes = new AtomicInteger();
        register("widget", List.of("acme,widget"), pdev -> {
            probes.incrementAndGet();
            maps.add(pdev.ioremapResource(0, "widget-regs"));
            return new Object();
        });
        assertEquals(1, kernel.ioResources().claims().size());
        // Unbind: the claim is gone and the old mapping is dead.
        assertEquals(0, kernel.sysfs().unbind("platform", "widget", WIDGET));
        assertTrue(kernel.ioResources().claims().isEmpty());
        assertFalse(maps.getFirst().isMapped());
        assertThrows(UseAfterUnbindException.class, () -> maps.getFirst().read32(0));
        assertEquals(1, kernel.oopses().count());
        // Rebind: the probe claims the same range again without EBUSY.
        assertEquals(0, kernel.sysfs().bind("platform", "widget", WIDGET));
        assertEquals(2, probes.get());
        assertEquals(1, kernel.ioResources().claims().size());
        assertEquals(WIDGET_ID, maps.getLast().read32(0) & 0xFFFF_FFFFL);
    }

    @Test
    void shouldReleaseEarlierClaimsWhenProbeFails() throws KernelException {
        register("widget", List.of("acme,widget"), pdev -> {
            pdev.ioremapResource(0, "widget-regs");
            pdev.ioremapResource(1, "widget-aux");
            throw new KernelException(Errno.EIO, "firmware handshake failed");
        });
        assertFalse(dev(WIDGET).isBound());
        assertTrue(kernel.ioResources().claims().isEmpty());
    }
}
