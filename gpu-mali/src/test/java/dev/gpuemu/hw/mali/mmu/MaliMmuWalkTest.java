package dev.gpuemu.hw.mali.mmu;

import static dev.gpuemu.regs.mali.MaliAsReg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.hw.mali.GpuMemory;
import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.machine.mem.SystemMemory;
import dev.gpuemu.machine.time.ClockDomain;
import dev.gpuemu.machine.time.ClockMode;
import dev.gpuemu.machine.time.SimClock;
import dev.gpuemu.regs.mali.MaliPte;
import dev.gpuemu.regs.mali.MaliRegs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// The walker's memory footprint: every word it reads, recorded through its [DescriptorReader].
class MaliMmuWalkTest {
    private static final long TABLES = 0x8_0000;
    private SimClock clock;
    private GuestErrors errors;
    private SystemMemory memory;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Long> reads = new ArrayList<>();
    private MaliMmu mmu;
    private PageTables pt;

    @BeforeEach
    void setUp() {
        clock = new SimClock(ClockMode.FAST);
        errors = new GuestErrors();
        memory = new SystemMemory(0, 1L << 20, errors);
        DescriptorReader dma = MaliMmu.dmaReader(memory, errors, "test");
        mmu = new MaliMmu("test", clock, new ClockDomain("gpu", 1_000_000_000L), errors, memory, lock, pa -> {
            reads.add(pa);
            return dma.readInt(pa);
        });
        pt = new PageTables(memory, TABLES);
    }

    @AfterEach
    void tearDown() {
        clock.close();
        memory.close();
    }

    private void configure(int as) {
        lock.lock();
        try {
            mmu.write(MaliRegs.asOffset(as, AS_TRANSTAB), (int) pt.root());
            mmu.write(MaliRegs.asOffset(as, AS_TRANSCFG), ADRMODE_AARCH64_4K | 7 << 6);
            mmu.write(MaliRegs.asOffset(as, AS_COMMAND), AS_COMMAND_UPDATE);
        } finally {
            lock.unlock();
        }
    }

    private boolean inTables(long pa) {
        return pt.tables().stream().anyMatch(t -> pa >= t && pa < t + MaliPte.PAGE_SIZE);
    }

    @Test
    @DisplayName("/mali/mmu/footprint")
    void shouldReadOnlyTheFourDescriptorsOfTheWalkAndNeverTheTarget() {
        long va = 0x0000_1234_5678_9000L;
        pt.mapPage(va, 0xC_3000, false, false);
        configure(0);
        reads.clear();
        assertEquals(0xC_3010L, mmu.translate(0, va + 0x10, ACCESS_WRITE, 1));
        List<Long> expected = new ArrayList<>();
        for (int level = 0; level < 4; level++) {
            long slot = pt.slot(level, va);
            expected.add(slot);
            expected.add(slot + 4);
        }
        assertEquals(expected, reads, "LO and HI word of each level's descriptor, nothing else");
        assertTrue(reads.stream().allMatch(this::inTables));
        // Every translation walks again (no TLB): the same four descriptors.
        reads.clear();
        mmu.translate(0, va, ACCESS_READ, 1);
        assertEquals(expected, reads);
    }

    @Test
    @DisplayName("/mali/mmu/footprint-fault")
    void shouldStopReadingAtTheFirstInvalidDescriptor() {
        pt.mapPage(0x1000, 0xC_3000, false, false);
        configure(1);
        reads.clear();
        // A VA whose level-1 slot is empty: two descriptors (levels 0 and 1) are read.
        assertEquals(GpuMemory.FAULT, mmu.translate(1, 0x80_0000_0000L - 0x1000, ACCESS_READ, 1));
        assertEquals(4, reads.size());
        assertTrue(reads.stream().allMatch(this::inTables));
        // A VA beyond the 48-bit input range is refused before any read.
        reads.clear();
        assertEquals(GpuMemory.FAULT, mmu.translate(1, 1L << 48, ACCESS_READ, 1));
        assertTrue(reads.isEmpty());
    }

    @Test
    @DisplayName("/mali/mmu/no-allocation")
    void shouldTranslateAndFaultWithoutAllocating() {
        ThreadAllocations counter = ThreadAllocations.require();
        MaliMmu direct = new MaliMmu("test", clock, new ClockDomain("gpu", 1_000_000_000L), errors, memory, lock);
        long va = 0x0000_0042_0000_0000L;
        pt.mapPage(va, 0xC_5000, true, false);
        lock.lock();
        try {
            direct.write(MaliRegs.asOffset(0, AS_TRANSTAB), (int) pt.root());
            direct.write(MaliRegs.asOffset(0, AS_TRANSCFG), ADRMODE_AARCH64_4K | 7 << 6);
            direct.write(MaliRegs.asOffset(0, AS_COMMAND), AS_COMMAND_UPDATE);
        } finally {
            lock.unlock();
        }
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long before = counter.bytes();
            for (int i = 0; i < 50_000; i++) {
                sink += direct.translate(0, va + (i & 0xFFF), ACCESS_READ, 1);
                sink += direct.translate(0, va, ACCESS_WRITE, 1); // permission fault, recorded once
            }
            long allocated = counter.bytes() - before;
            if (round == 2) {
                assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 100k translations");
            }
        }
        assertTrue(sink != 0);
        assertEquals(MaliRegs.mmuIrqPageFault(0), direct.irq().rawstat());
    }
}
