package dev.gpuemu.kernel.drivers.edu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.board.Machine;
import dev.gpuemu.board.PciSlot;
import dev.gpuemu.hw.edu.EduDevice;
import dev.gpuemu.kernel.io.IoMem;
import dev.gpuemu.machine.pci.Bdf;
import dev.gpuemu.regs.edu.EduReg;
import dev.gpuemu.testing.AllocationCounter;
import org.junit.jupiter.api.Test;

/// A bound `IoMem` access (scope check, bounds check, bus dispatch to the edu model) allocates
/// nothing once warmed up: the oops message is built only on the failure path.
class IoMemAllocationTest {

    @Test
    void shouldNotAllocateOnBoundMmioAccesses() throws Exception {
        AllocationCounter counter = AllocationCounter.require();
        LeakingEduDriver driver = new LeakingEduDriver();
        Machine machine = Machine.builder()
                .pci(new PciSlot(new Bdf(0, 4, 0), hw -> new EduDevice(hw, "0000:00:04.0")))
                .module(k -> k.pciBus().register(driver))
                .build();
        try {
            machine.boot();
            IoMem bar = driver.data.get().bar();
            long sink = 0;
            long allocated = 0;
            for (int round = 0; round < 3; round++) {
                long before = counter.bytes();
                for (int i = 0; i < 50_000; i++) {
                    bar.write32(EduReg.LIVENESS.offset(), i);
                    sink += bar.read32(EduReg.LIVENESS.offset());
                    sink += bar.read64(EduReg.DMA_SRC.offset());
                }
                allocated = counter.bytes() - before;
            }
            assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 150k IoMem accesses");
            assertTrue(sink != 0);
            assertEquals(0, machine.kernel().oopses().count());
        } finally {
            machine.close();
        }
    }
}
