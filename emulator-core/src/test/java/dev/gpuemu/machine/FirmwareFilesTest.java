package dev.gpuemu.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// The emulated `/lib/firmware`: copies in and out, a fixed set of names, overwritable contents.
class FirmwareFilesTest {
    private static byte[] read(FirmwareFiles f, String name) {
        ByteBuffer b = f.lookup(name).orElseThrow();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void shouldServeCopiesSortedByNameAndNothingForAnUnknownName() {
        byte[] a = {1, 2, 3};
        FirmwareFiles f = FirmwareFiles.of(Map.of("b.bin", new byte[] {9}, "a.bin", a));
        a[0] = 7; // the table keeps its own copy
        assertArrayEquals(new byte[] {1, 2, 3}, read(f, "a.bin"));
        assertEquals(List.of("a.bin", "b.bin"), List.copyOf(f.names()));
        assertEquals(java.util.Optional.empty(), f.lookup("c.bin"));
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> f.lookup("a.bin").orElseThrow().put((byte) 0));
    }

    @Test
    void shouldOverwriteAnExistingFileWithACopyAndRefuseANewName() {
        FirmwareFiles f = FirmwareFiles.of(Map.of("fw.bin", new byte[] {1}));
        byte[] next = {4, 5};
        f.replace("fw.bin", next);
        next[0] = 0;
        assertArrayEquals(new byte[] {4, 5}, read(f, "fw.bin"));
        var e = assertThrows(IllegalArgumentException.class, () -> f.replace("other.bin", new byte[] {1}));
        assertEquals("no firmware file other.bin", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FirmwareFiles.none().replace("fw.bin", new byte[0]));
        assertEquals(List.of("fw.bin"), List.copyOf(f.names()));
    }
}
