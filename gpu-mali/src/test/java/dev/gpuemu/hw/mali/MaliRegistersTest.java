package dev.gpuemu.hw.mali;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors.Kind;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliReg;
import dev.gpuemu.regs.mali.MaliRegs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The register page of docs/devices/mali-g610.md: reset values, read-only and write-only
/// behaviour, unknown offsets and the region's holes.
class MaliRegistersTest {
    private MaliTestSupport t;

    @BeforeEach
    void setUp() {
        t = MaliTestSupport.open();
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    @Test
    @DisplayName("/mali/regs/reset-values")
    void shouldReadResetValueOfEveryRegisterAtPowerOn() {
        for (MaliReg r : MaliReg.values()) {
            long expected = r.access() == Access.WO ? 0 : r.resetValue();
            assertEquals(expected & 0xFFFF_FFFFL, t.readl(r), r.name() + " LO");
            if (r.width() == 8) {
                assertEquals(expected >>> 32, t.readl(r.offset() + 4), r.name() + " HI");
            }
        }
        for (int as = 0; as < MaliRegs.AS_COUNT; as++) {
            for (MaliAsReg r : MaliAsReg.values()) {
                assertEquals(0, r.width() == 8 ? t.readAs64(as, r) : t.readAs(as, r), "AS" + as + " " + r.name());
            }
        }
        assertEquals(0, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/regs/identity")
    void shouldPresentRk3588IdentityAndConfiguredShaderCores() {
        assertEquals(0xA867_0005L, t.readl(MaliReg.GPU_ID));
        assertEquals(0x0712_0306L, t.readl(MaliReg.L2_FEATURES));
        assertEquals(0x809, t.readl(MaliReg.TILER_FEATURES));
        assertEquals(0x301, t.readl(MaliReg.MEM_FEATURES));
        assertEquals(0x2830, t.readl(MaliReg.MMU_FEATURES));
        assertEquals(0xFF, t.readl(MaliReg.AS_PRESENT));
        assertEquals(0x50005, t.read64(MaliReg.SHADER_PRESENT));
        assertEquals(1, t.read64(MaliReg.L2_PRESENT));
        assertEquals(1, t.read64(MaliReg.TILER_PRESENT));
        try (MaliTestSupport two = MaliTestSupport.open(4L << 20, MaliConfig.defaults().withShaderPresent(0x3),
                NoMcuFrontend::new)) {
            assertEquals(0x3, two.read64(MaliReg.SHADER_PRESENT));
        }
    }

    @Test
    @DisplayName("/mali/regs/read-only")
    void shouldDropAndCountWritesToEveryReadOnlyRegister() {
        int writes = 0;
        for (MaliReg r : MaliReg.values()) {
            if (r.access() != Access.RO) {
                continue;
            }
            long before = t.readl(r);
            t.writel(r, 0xDEAD_BEEFL);
            writes++;
            if (r != MaliReg.CYCLE_COUNT && r != MaliReg.TIMESTAMP) {
                assertEquals(before, t.readl(r), r.name());
            }
        }
        assertEquals(writes, t.count(Kind.READ_ONLY_WRITE));
        // The read-only AS registers and the LATEST_FLUSH_ID page too.
        t.writeAs(3, MaliAsReg.AS_FAULTSTATUS, 1);
        t.writeAs(3, MaliAsReg.AS_STATUS, 1);
        t.writel(MaliRegs.CSF_LATEST_FLUSH_ID, 7);
        assertEquals(writes + 3, t.count(Kind.READ_ONLY_WRITE));
        assertEquals(0, t.readl(MaliRegs.CSF_LATEST_FLUSH_ID));
    }

    @Test
    @DisplayName("/mali/regs/unknown")
    void shouldCountUnknownOffsetsInsideBlocksAndHolesBetweenThem() {
        // 0x038 sits between GPU_STATUS and GPU_FAULT_STATUS; 0x1010 after JOB_IRQ_STATUS;
        // 0x2404 + 0x24 is inside AS0 but no register (AS0 + 0x2C).
        assertEquals(0, t.readl(0x038));
        t.writel(0x038, 1);
        assertEquals(0, t.readl(0x1010));
        assertEquals(0, t.readl(MaliRegs.AS_BASE + 0x2C));
        t.writel(MaliRegs.AS_BASE + 0x2C, 1);
        assertEquals(5, t.count(Kind.DEVICE));
        // 0x3000 and 0x40000 are holes of the region: the bus answers open bus.
        assertEquals(0xFFFF_FFFFL, t.readl(0x3000));
        t.writel(0x40000, 1);
        assertEquals(2, t.count(Kind.UNASSIGNED_ACCESS));
        // A byte access to a register block is refused by the bus.
        t.mmio.read(MaliTestSupport.BASE, AccessSize.BYTE);
        assertEquals(1, t.count(Kind.INVALID_ACCESS_SIZE));
    }

    @Test
    @DisplayName("/mali/regs/qword")
    void shouldSplitA64BitAccessIntoLoThenHiHalves() {
        assertEquals(0x50005L, t.mmio.read(MaliTestSupport.BASE + MaliReg.SHADER_PRESENT.offset(), AccessSize.QWORD));
        t.mmio.write(MaliTestSupport.BASE + MaliReg.TIMESTAMP_OFFSET.offset(), AccessSize.QWORD, 0x1_0000_0002L);
        assertEquals(2, t.readl(MaliReg.TIMESTAMP_OFFSET));
        assertEquals(1, t.readl(MaliReg.TIMESTAMP_OFFSET.offset() + 4));
        assertEquals(0, t.errors.total());
    }

    @Test
    @DisplayName("/mali/regs/coherency")
    void shouldAcceptOnlyDefinedCoherencyProtocols() {
        t.writel(MaliReg.COHERENCY_PROTOCOL, MaliRegs.COHERENCY_ACE_LITE);
        assertEquals(MaliRegs.COHERENCY_ACE_LITE, t.readl(MaliReg.COHERENCY_PROTOCOL));
        t.writel(MaliReg.COHERENCY_PROTOCOL, MaliRegs.COHERENCY_ACE);
        assertEquals(MaliRegs.COHERENCY_ACE, t.readl(MaliReg.COHERENCY_PROTOCOL));
        t.writel(MaliReg.COHERENCY_PROTOCOL, 5);
        assertEquals(MaliRegs.COHERENCY_ACE, t.readl(MaliReg.COHERENCY_PROTOCOL));
        assertEquals(1, t.count(Kind.DEVICE));
    }

    @Test
    @DisplayName("/mali/regs/pwr-key")
    void shouldAcceptPowerOverrideOnlyRightAfterTheKey() {
        t.writel(MaliReg.PWR_OVERRIDE0, 0x1234);
        assertEquals(0, t.readl(MaliReg.PWR_OVERRIDE0));
        assertEquals(1, t.count(Kind.DEVICE));
        t.writel(MaliReg.GPU_PWR_KEY, MaliRegs.GPU_PWR_KEY_UNLOCK);
        t.writel(MaliReg.PWR_OVERRIDE0, 0x1234);
        assertEquals(0x1234, t.readl(MaliReg.PWR_OVERRIDE0));
        // The key opens one write only; a wrong key opens none.
        t.writel(MaliReg.PWR_OVERRIDE1, 0x55);
        t.writel(MaliReg.GPU_PWR_KEY, 0x1111);
        t.writel(MaliReg.PWR_OVERRIDE1, 0x55);
        assertEquals(0, t.readl(MaliReg.PWR_OVERRIDE1));
        assertEquals(3, t.count(Kind.DEVICE));
        assertEquals(0, t.readl(MaliReg.GPU_PWR_KEY), "write-only");
    }

    @Test
    @DisplayName("/mali/regs/gpu-cmd-unknown")
    void shouldCountUndefinedGpuCommands() {
        t.writel(MaliReg.GPU_CMD, MaliRegs.GPU_CMD_NOP);
        t.writel(MaliReg.GPU_CMD, 0x0503);
        assertEquals(1, t.count(Kind.DEVICE));
        assertTrue(t.gpu.state().gpuIrqRawstat() == 0);
    }
}
