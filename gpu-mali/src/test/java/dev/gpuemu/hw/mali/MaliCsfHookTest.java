package dev.gpuemu.hw.mali;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The plug-in point for the command stream frontend: what it is given, what is forwarded to it
/// (MCU_CONTROL/MCU_STATUS, doorbells, resets), and the built-in "no MCU" frontend.
class MaliCsfHookTest {
    /// A frontend that records every call.
    static final class RecordingFrontend implements CsfFrontend, AutoCloseable {
        final MaliHwPorts ports;
        final List<String> calls = new ArrayList<>();
        int control;
        int closes;

        RecordingFrontend(MaliHwPorts ports) {
            this.ports = ports;
        }

        @Override
        public void writeMcuControl(int value) {
            assertTrue(ports.deviceLock().isHeldByCurrentThread());
            calls.add("control " + value);
            control = value;
        }

        @Override
        public int mcuControl() {
            return control;
        }

        @Override
        public int mcuStatus() {
            return control == MaliRegs.MCU_CONTROL_AUTO ? MaliRegs.MCU_STATUS_ENABLED : MaliRegs.MCU_STATUS_DISABLED;
        }

        @Override
        public void ringDoorbell(int index) {
            assertTrue(ports.deviceLock().isHeldByCurrentThread());
            calls.add("doorbell " + index);
        }

        @Override
        public void reset() {
            calls.add("reset");
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    @DisplayName("/mali/csf/ports")
    void shouldHandTheFrontendTheModelsPorts() {
        try (MaliTestSupport t = MaliTestSupport.open(4L << 20, MaliConfig.defaults(), RecordingFrontend::new)) {
            RecordingFrontend f = (RecordingFrontend) t.gpu.csf();
            MaliHwPorts p = f.ports;
            assertSame(t.gpu.mmu(), p.mmu());
            assertSame(t.gpu.region().deviceLock(), p.deviceLock());
            assertSame(t.memory, p.memory());
            assertSame(t.clock, p.clock());
            assertEquals(MaliRegs.RK3588_GPU_HZ, p.gpuClock().hz());
            // The JOB IRQ block handed out drives the job line.
            p.deviceLock().lock();
            try {
                p.jobIrq().writeMask(-1);
                p.jobIrq().raise(MaliRegs.JOB_IRQ_GLOBAL_IF);
            } finally {
                p.deviceLock().unlock();
            }
            t.step(1);
            assertTrue(t.line(MaliTestSupport.IRQ_JOB));
            assertEquals(Integer.toUnsignedLong(MaliRegs.JOB_IRQ_GLOBAL_IF), t.readl(MaliReg.JOB_IRQ_STATUS));
            // Power state and GPU_STATUS.ACTIVE through the GPU control port.
            t.writel(MaliReg.SHADER_PWRON, 0x50005);
            t.step(MaliTimings.L2_POWER_NS + MaliTimings.CORE_POWER_NS);
            p.deviceLock().lock();
            try {
                assertTrue(p.gpu().l2Ready());
                assertEquals(0x50005, p.gpu().shaderReady());
                p.gpu().setCsfActive(true);
            } finally {
                p.deviceLock().unlock();
            }
            assertEquals(MaliRegs.GPU_STATUS_ACTIVE, t.readl(MaliReg.GPU_STATUS) & MaliRegs.GPU_STATUS_ACTIVE);
        }
    }

    @Test
    @DisplayName("/mali/csf/forwarding")
    void shouldForwardMcuRegistersDoorbellsAndResetsToTheFrontend() {
        try (MaliTestSupport t = MaliTestSupport.open(4L << 20, MaliConfig.defaults(), RecordingFrontend::new)) {
            RecordingFrontend f = (RecordingFrontend) t.gpu.csf();
            t.writel(MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_AUTO);
            assertEquals(MaliRegs.MCU_CONTROL_AUTO, t.readl(MaliReg.MCU_CONTROL));
            assertEquals(MaliRegs.MCU_STATUS_ENABLED, t.readl(MaliReg.MCU_STATUS));
            t.writel(MaliRegs.doorbell(0), 1);
            t.writel(MaliRegs.doorbell(23), 0);
            assertEquals(0, t.readl(MaliRegs.doorbell(5)));
            t.writel(MaliRegs.doorbell(5) + 4, 1); // not the first word: counted, not rung
            t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_SOFT_RESET);
            t.writel(MaliRegs.doorbell(1), 1); // during reset: counted, not rung
            assertEquals(List.of("control 2", "doorbell 0", "doorbell 23", "reset"), f.calls);
            assertEquals(2, t.count(Kind.DEVICE));
        }
    }

    @Test
    @DisplayName("/mali/csf/no-mcu")
    void shouldHaltTheMcuAndCountDoorbellsWithoutACsfModel() {
        try (MaliTestSupport t = MaliTestSupport.open()) {
            assertEquals(MaliRegs.MCU_STATUS_DISABLED, t.readl(MaliReg.MCU_STATUS));
            t.writel(MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_AUTO);
            t.step(1_000_000_000L);
            assertEquals(MaliRegs.MCU_STATUS_HALT, t.readl(MaliReg.MCU_STATUS));
            assertEquals(0, t.readl(MaliReg.JOB_IRQ_RAWSTAT), "nothing boots, no GLOBAL_IF interrupt");
            t.writel(MaliReg.MCU_CONTROL, MaliRegs.MCU_CONTROL_DISABLE);
            assertEquals(MaliRegs.MCU_STATUS_DISABLED, t.readl(MaliReg.MCU_STATUS));
            t.writel(MaliReg.MCU_CONTROL, 7);
            t.writel(MaliRegs.doorbell(0), 1);
            assertEquals(2, t.count(Kind.DEVICE));
        }
    }

    @Test
    @DisplayName("/mali/lifecycle/close")
    void shouldCloseTheFrontendOnceAndRefuseASecondClose() {
        MaliTestSupport t = MaliTestSupport.open(4L << 20, MaliConfig.defaults(), RecordingFrontend::new);
        RecordingFrontend f = (RecordingFrontend) t.gpu.csf();
        t.close();
        assertEquals(1, f.closes);
        assertThrows(IllegalStateException.class, t.gpu::close);
    }
}
