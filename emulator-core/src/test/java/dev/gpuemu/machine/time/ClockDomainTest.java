package dev.gpuemu.machine.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClockDomainTest {
    private static final long NS_PER_S = 1_000_000_000L;

    @Test
    void shouldConvertOneToOneAtOneGigahertz() {
        ClockDomain d = new ClockDomain("core", 1_000_000_000L);
        assertEquals(5, d.cyclesToNs(5));
        assertEquals(5, d.nsToCycles(5));
        assertEquals(100 * NS_PER_S, d.cycleCountAt(100 * NS_PER_S), "no overflow past 9.2 s");
    }

    @Test
    void shouldRoundCyclesUpAndNanosecondsDownAt800Megahertz() {
        ClockDomain d = new ClockDomain("gpu", 800_000_000L); // 1.25 ns per cycle
        assertEquals(2, d.cyclesToNs(1));
        assertEquals(3, d.cyclesToNs(2));
        assertEquals(5, d.cyclesToNs(4));
        assertEquals(0, d.nsToCycles(1));
        assertEquals(1, d.nsToCycles(2));
        assertEquals(4, d.nsToCycles(5));
        assertEquals(800_000_000L, d.nsToCycles(NS_PER_S));
    }

    @Test
    void shouldRoundCyclesUpAndNanosecondsDownAt33Megahertz() {
        ClockDomain d = new ClockDomain("pci", 33_000_000L); // 30.303... ns per cycle
        assertEquals(31, d.cyclesToNs(1));
        assertEquals(1_000, d.cyclesToNs(33));
        assertEquals(1_031, d.cyclesToNs(34));
        assertEquals(0, d.nsToCycles(30));
        assertEquals(1, d.nsToCycles(31));
        assertEquals(32, d.nsToCycles(999));
        assertEquals(33, d.nsToCycles(1_000));
    }

    @Test
    void shouldRoundTripCyclesThroughNanosecondsUpToOneGigahertz() {
        for (long hz : new long[] {1, 32_768, 33_000_000L, 800_000_000L, 1_000_000_000L}) {
            ClockDomain d = new ClockDomain("d", hz);
            for (long c : new long[] {0, 1, 2, 3, 7, 1_000, 123_456_789, 9_000_000_000L}) {
                assertEquals(c, d.nsToCycles(d.cyclesToNs(c)), hz + " Hz, " + c + " cycles");
            }
        }
    }

    @Test
    void shouldNeverLoseCyclesOnRoundTripAboveOneGigahertz() {
        ClockDomain d = new ClockDomain("fast", 2_997_000_000L); // 0.33 ns per cycle
        assertEquals(1, d.cyclesToNs(1));
        assertEquals(2, d.nsToCycles(1), "1 ns holds 2.997 cycles, floor 2");
        for (long c : new long[] {0, 1, 2, 3, 7, 1_000, 123_456_789}) {
            long back = d.nsToCycles(d.cyclesToNs(c));
            assertTrue(back >= c && back < c + 3, c + " cycles came back as " + back);
        }
    }

    @Test
    void shouldConvertExactlyAboveNineGigahertz() {
        ClockDomain d = new ClockDomain("serdes", 10_000_000_000L); // takes the 128-bit path
        assertEquals(1, d.cyclesToNs(10));
        assertEquals(1, d.cyclesToNs(1));
        assertEquals(10, d.nsToCycles(1));
        assertEquals(10 * NS_PER_S, d.nsToCycles(NS_PER_S));
    }

    @Test
    void shouldRejectInvalidDomainsAndNegativeArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ClockDomain("x", 0));
        assertThrows(IllegalArgumentException.class, () -> new ClockDomain("x", -5));
        assertThrows(IllegalArgumentException.class, () -> new ClockDomain(" ", 5));
        assertThrows(NullPointerException.class, () -> new ClockDomain(null, 5));
        ClockDomain d = new ClockDomain("x", 5);
        assertThrows(IllegalArgumentException.class, () -> d.cyclesToNs(-1));
        assertThrows(IllegalArgumentException.class, () -> d.nsToCycles(-1));
    }

    @Test
    void shouldThrowWhenResultDoesNotFitInLong() {
        ClockDomain slow = new ClockDomain("slow", 1);
        assertThrows(ArithmeticException.class, () -> slow.cyclesToNs(Long.MAX_VALUE));
    }
}
