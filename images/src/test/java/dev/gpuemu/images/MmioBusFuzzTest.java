package dev.gpuemu.images;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gpuemu.machine.bus.AccessSize;
import dev.gpuemu.machine.bus.MmioBus;
import dev.gpuemu.machine.bus.MmioMapping;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/// Fuzz target: the machine's MMIO bus with random 8/16/32/64-bit reads and writes at random
/// offsets of every mapped region (PCI BARs and platform `reg` ranges) of a booted image, with
/// the kernel idle (its drivers bound, no process calling in): the edu device (`vgem` image),
/// the Mali-G610's 2 MiB region (`rk3588`), the GA102's BAR0 and BAR1 (`ga102-pc`).
///
/// After each input simulated time advances by a bounded [#SETTLE_NS] so the device models run
/// the work the writes started (DMA, resets, interrupts the idle drivers take). Guest errors are
/// counted by the model (that is their job); a crash is an exception out of the bus, an oops, a
/// clock failure, a hang (Jazzer's timeout) or a leak at shutdown.
class MmioBusFuzzTest {
    /// Simulated time each input may run for after its accesses.
    static final long SETTLE_NS = 1_000_000L;
    private static final AccessSize[] SIZES = AccessSize.values();

    @FuzzTest
    void eduBars(FuzzedDataProvider data) {
        run(FuzzMachine.get("vgem", "/dev/dri/renderD128"), data);
    }

    @FuzzTest
    void maliRegion(FuzzedDataProvider data) {
        run(FuzzMachine.get("rk3588", "/dev/dri/renderD128"), data);
    }

    @FuzzTest
    void ga102Bars(FuzzedDataProvider data) {
        run(FuzzMachine.get("ga102-pc", "/dev/dri/renderD128"), data);
    }

    private static void run(FuzzMachine m, FuzzedDataProvider data) {
        MmioBus bus = m.machine.kernel().hw().mmio();
        List<MmioMapping> maps = bus.mappings();
        int accesses = data.consumeInt(1, 32);
        for (int i = 0; i < accesses && data.remainingBytes() > 0; i++) {
            MmioMapping map = data.pickValue(maps);
            AccessSize size = SIZES[data.consumeInt(0, SIZES.length - 1)];
            long span = map.end() - map.base();
            long off = switch (data.consumeInt(0, 3)) {
                case 0 -> data.consumeLong(0, span + 16); // anywhere, even just past the end
                case 1 -> data.consumeLong(0, Math.min(span, 0x4000) - 1); // the register block
                default -> data.consumeLong(0, Math.min(span, 0x4000) / 4 - 1) * 4; // aligned registers
            };
            long addr = map.base() + off;
            if (data.consumeBoolean()) {
                bus.read(addr, size);
            } else {
                bus.write(addr, size, data.consumeLong());
            }
        }
        m.machine.clock().advance(SETTLE_NS);
        m.afterInput();
    }

    @AfterAll
    static void shutDown() {
        FuzzMachine.closeAll();
    }
}
