package dev.gpuemu.bench.pages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PairStatsTest {

    @Test
    void shouldGiveMedianAndQuartilesOfAnOddCountAsOrderStatistics() {
        double[] v = {5, 1, 4, 2, 3};
        PairStats s = PairStats.of(v);
        assertEquals(3, s.median(), 1e-12);
        assertEquals(2, s.p25(), 1e-12);
        assertEquals(4, s.p75(), 1e-12);
        assertEquals(5, s.n());
        assertArrayEquals(new double[] {5, 1, 4, 2, 3}, v, "input left unsorted");
    }

    @Test
    void shouldInterpolateBetweenNeighboursForAnEvenCount() {
        PairStats s = PairStats.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(1.75, s.p25(), 1e-12);
        assertEquals(3.25, s.p75(), 1e-12);
    }

    @Test
    void shouldIgnoreOneOutlierInTheMedianAndQuartiles() {
        PairStats s = PairStats.of(new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 100.0});
        assertEquals(1.0, s.median(), 1e-12);
        assertEquals(1.0, s.p75(), 1e-12);
    }

    @Test
    void shouldBoundTheMedianByOrderStatistics40And62Of101() {
        double[] v = new double[101];
        for (int i = 0; i < v.length; i++) {
            v[i] = 101 - i; // 101..1, unsorted on purpose
        }
        PairStats s = PairStats.of(v);
        assertEquals(51, s.median(), 1e-12);
        assertEquals(40, s.ciLow(), 1e-12);
        assertEquals(62, s.ciHigh(), 1e-12);
    }

    @Test
    void shouldWidenTheMedianIntervalToTheWholeRangeForFewValues() {
        PairStats s = PairStats.of(new double[] {3, 1, 2});
        assertEquals(1, s.ciLow(), 1e-12);
        assertEquals(3, s.ciHigh(), 1e-12);
    }

    @Test
    void shouldGiveTheValueItselfForOneValue() {
        PairStats s = PairStats.of(new double[] {0.8});
        assertEquals(0.8, s.median(), 1e-12);
        assertEquals(0.8, s.p25(), 1e-12);
        assertEquals(0.8, s.p75(), 1e-12);
    }

    @Test
    void shouldRejectNoValuesAndNaN() {
        assertThrows(IllegalArgumentException.class, () -> PairStats.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> PairStats.of(new double[] {1, Double.NaN}));
    }
}
