package dev.gpuemu.machine.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BdfTest {

    @Test
    void shouldPrintLikeLspciWithDomainZero() {
        assertEquals("0000:00:04.0", new Bdf(0, 4, 0).toString());
        assertEquals("0000:ff:1f.7", new Bdf(255, 31, 7).toString());
    }

    @Test
    void shouldParseWithAndWithoutDomain() {
        assertEquals(new Bdf(0, 4, 0), Bdf.parse("0000:00:04.0"));
        assertEquals(new Bdf(0x1a, 0x1f, 3), Bdf.parse("1a:1f.3"));
        Bdf b = new Bdf(3, 17, 5);
        assertEquals(b, Bdf.parse(b.toString()));
    }

    @Test
    void shouldRejectOutOfRangeFieldsAndMalformedText() {
        assertThrows(IllegalArgumentException.class, () -> new Bdf(256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Bdf(0, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> new Bdf(0, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> Bdf.parse("0001:00:04.0"), "only domain 0");
        assertThrows(IllegalArgumentException.class, () -> Bdf.parse("00:04"));
        assertThrows(IllegalArgumentException.class, () -> Bdf.parse("00:20.0"));
        assertThrows(IllegalArgumentException.class, () -> Bdf.parse("zz:04.0"));
        assertThrows(IllegalArgumentException.class, () -> Bdf.parse(""));
    }
}
