package dev.gpuemu.machine.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.machine.GuestErrors;
import dev.gpuemu.testing.AllocationCounter;
import org.junit.jupiter.api.Test;

/// The bus access path (lookup, dispatch, register split, memory access, open-bus answer with no
/// log sink) allocates nothing once warmed up.
///
class MmioBusAllocationTest {
    private static final long BASE = 0x1000_0000L;

    @Test
    void shouldNotAllocateOnBusAccesses() {
        AllocationCounter counter = AllocationCounter.require();
        GuestErrors errors = new GuestErrors();
        MmioBus bus = new MmioBus(errors);
        long[] reg = new long[4];
        RegisterHandler h = new RegisterHandler() {
            @Override
            public long read(long offset, AccessSize size) {
                return reg[(int) (offset >>> 2) & 3];
            }

            @Override
            public void write(long offset, AccessSize size, long value) {
                reg[(int) (offset >>> 2) & 3] = value;
            }
        };
        try (MmioRegion r = MmioRegion.builder("alloc", 0x1000)
                .registers(0, 0x10, AccessSpec.DWORD_QWORD_SPLIT, h)
                .memory(0x100, 0x100, AccessSpec.ANY_ALIGNED, false)
                .build()) {
            for (int i = 0; i < 8; i++) { // several neighbours so the binary search has work to do
                bus.map(0x2000_0000L + 0x1000L * i, MmioRegion.builder("n" + i, 0x10)
                        .memory(0, 0x10, AccessSpec.ANY_ALIGNED, false).build());
            }
            bus.map(BASE, r);
            long sink = 0;
            for (int round = 0; round < 3; round++) {
                long before = counter.bytes();
                for (int i = 0; i < 50_000; i++) {
                    bus.write(BASE, AccessSize.QWORD, i);
                    sink += bus.read(BASE, AccessSize.QWORD);
                    bus.write(BASE + 0x108, AccessSize.DWORD, i);
                    sink += bus.read(BASE + 0x108, AccessSize.DWORD);
                    sink += bus.read(0x3000_0000L, AccessSize.DWORD); // unassigned
                }
                long allocated = counter.bytes() - before;
                if (round == 2) {
                    assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 250k accesses");
                }
            }
            assertEquals(150_000, errors.total());
            assertTrue(sink != 0);
            bus.mappings().forEach(m -> {
                m.unmap();
                if (m.region() != r) {
                    m.region().close();
                }
            });
        }
    }
}
