package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkloadRunTest {
    @Test
    void shouldComputeFactorialByMmioAndSeeTheIrqLine() throws Exception {
        WorkloadResult r = TestMachines.run("""
                irq mask 16
                mmio write32 edu/bar0 0x20 0x80
                mmio write32 edu/bar0 0x08 10
                mmio read32 edu/bar0 0x20 -> $st
                assert $st == 0x81 "computing"
                irq expect low 16
                clock step 2us
                irq expect high 16
                mmio read32 edu/bar0 0x08 -> $v
                assert $v == 3628800 "factorial by MMIO"
                mmio write32 edu/bar0 0x64 1
                irq expect low 16
                irq unmask 16
                """);
        assertTrue(r.passed(), r.toString());
        assertEquals(5, r.assertionsPassed());
    }
}
