package dev.gpuemu.kernel.drivers.nova.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.bus.pci.PciDev;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.AccessSpec;
import dev.gpuemu.machine.bus.MmioRegion;
import dev.gpuemu.machine.bus.RegisterHandler;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.machine.pci.PciConfigSpace;
import dev.gpuemu.machine.pci.PciFunction;
import dev.gpuemu.regs.nvidia.NvBar0Map;
import dev.gpuemu.regs.nvidia.NvRegs;
import java.util.List;
import org.junit.jupiter.api.Test;

/// nova-core binds every NVIDIA display-class function, but a BOOT_0 naming a chipset outside
/// the table fails probe with ENODEV and a log line, and leaves the device unbound. The function
/// here is a stand-in card (NVIDIA vendor, VGA class, 16 MiB BAR0 whose `NV_PMC_BOOT_0` reads
/// 0x155000A1: architecture 0x15, which no chipset of the table has).
class NovaUnknownChipsetTest {
    private static final int UNKNOWN_BOOT_0 = 0x1550_00A1;

    private static final class UnknownCard implements PciFunction, AutoCloseable {
        private final MmioRegion bar0 = MmioRegion.builder("unknown-nv-bar0", NvBar0Map.BAR0_SIZE)
                .registers(0, 0x1000, AccessSpec.DWORD_ONLY, new RegisterHandler() {
                    @Override
                    public long read(long offset, AccessSize size) {
                        return offset == 0 ? UNKNOWN_BOOT_0 : 0;
                    }

                    @Override
                    public void write(long offset, AccessSize size, long value) {
                    }
                })
                .build();
        private final PciConfigSpace config = new PciConfigSpace(NvRegs.VENDOR_ID, 0x1234, 0xA1, 0x030000)
                .declareMemoryBar(0, bar0, false, false);

        @Override
        public PciConfigSpace config() {
            return config;
        }

        @Override
        public void close() {
            bar0.close();
        }
    }

    @Test
    void shouldFailProbeWithEnodevForAChipsetOutsideTheTable() throws KernelException {
        try (Machine m = Machine.builder()
                .pci(new PciSlot(new Bdf(1, 0, 0), hw -> new UnknownCard()))
                .module(k -> k.pciBus().register(new NovaCoreDriver()))
                .build()) {
            m.boot();
            PciDev dev = m.kernel().pciBus().device("0000:01:00.0").orElseThrow();
            assertTrue(dev.driverName().isEmpty(), "probe failed: the device stays unbound");
            List<String> log = m.kernel().log().tail(100).stream().map(LogEntry::message).toList();
            assertTrue(log.stream().anyMatch(l -> l.contains("Unsupported chipset: 0x155")), log.toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("probe") && l.contains("-19")), log.toString());
            assertEquals(0, m.kernel().oopses().count());
        }
    }
}
