package dev.gpuemu.hw.mali.csf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliFwFormat;
import dev.gpuemu.tools.malifw.MaliFirmwareImage;
import dev.gpuemu.tools.malifw.MaliFirmwareImage.Spec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The firmware image writer: the container parses back under panthor's rules, the sections
/// are the documented ones, the descriptor's CRC32C covers the body, and the output is the same
/// bytes every time.
class MaliFirmwareImageTest {
    @Test
    void shouldRoundTripThroughAPanthorStyleParser() {
        byte[] image = MaliFirmwareImage.build(Spec.defaults());
        FirmwareLoader.Parsed p = FirmwareLoader.parse(image);
        assertEquals(MaliFwFormat.HEADER_MAJOR_MAX, p.major());
        List<FirmwareLoader.Section> s = p.sections();
        assertEquals(3, s.size());
        FirmwareLoader.Section text = s.get(0);
        assertEquals(MaliFwFormat.HLE_ENTRY_VA, text.vaStart());
        assertEquals(64 << 10, text.vaEnd() - text.vaStart());
        assertEquals(MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_EX | MaliFwFormat.IFACE_CACHE_MODE_CACHED, text.flags());
        assertEquals(64 << 10, text.dataEnd() - text.dataStart());
        FirmwareLoader.Section data = s.get(1);
        assertEquals(MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_WR | MaliFwFormat.IFACE_ZERO, data.flags());
        FirmwareLoader.Section shared = s.get(2);
        assertEquals(CsfIface.SHARED_REGION_START, shared.vaStart());
        assertEquals(256 << 10, shared.vaEnd() - shared.vaStart());
        assertTrue((shared.flags() & MaliFwFormat.IFACE_SHARED) != 0);
        assertEquals(MaliFwFormat.IFACE_CACHE_MODE_UNCACHED_COHERENT, shared.flags() & MaliFwFormat.IFACE_CACHE_MODE_MASK);
        assertEquals("shared", shared.name());
        assertEquals("git_sha: " + MaliFirmwareImage.DEFAULT_GIT_SHA, p.buildInfo());
        assertTrue(new SharedLayout(8, 8).size() <= shared.vaEnd() - shared.vaStart(), "layout fits");
    }

    @Test
    void shouldCarryTheBodysCrc32cInTheDescriptor() {
        byte[] code = MaliFirmwareImage.code(Spec.defaults());
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(MaliFwFormat.HLE_MAGIC, b.getInt(MaliFwFormat.HLE_OFF_MAGIC));
        assertEquals(CsfIface.version(1, 1, 0), b.getInt(MaliFwFormat.HLE_OFF_IFACE_VERSION));
        int bodySize = b.getInt(MaliFwFormat.HLE_OFF_BODY_SIZE);
        assertEquals(code.length - MaliFwFormat.HLE_DESC_SIZE, bodySize);
        CRC32C crc = new CRC32C();
        crc.update(code, MaliFwFormat.HLE_DESC_SIZE, bodySize);
        assertEquals((int) crc.getValue(), b.getInt(MaliFwFormat.HLE_OFF_BODY_CRC));
        for (int off = MaliFwFormat.HLE_OFF_BODY_CRC + 4; off < MaliFwFormat.HLE_DESC_SIZE; off += 4) {
            assertEquals(0, b.getInt(off), "MBZ word " + off);
        }
    }

    @Test
    void shouldBeDeterministicAndWrittenByMain(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("firmware/mali_csffw.bin");
        MaliFirmwareImage.main(new String[] {out.toString()});
        assertArrayEquals(MaliFirmwareImage.build(Spec.defaults()), Files.readAllBytes(out));
        assertArrayEquals(MaliFirmwareImage.build(Spec.defaults()), MaliFirmwareImage.build(Spec.defaults()));
    }

    @Test
    void shouldFailTheParserOnACorruptedHeader() {
        byte[] image = MaliFirmwareImage.build(Spec.defaults());
        byte[] bad = Arrays.copyOf(image, image.length);
        bad[0] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> FirmwareLoader.parse(bad));
        byte[] big = Arrays.copyOf(image, image.length);
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putInt(16, image.length + 1);
        assertThrows(IllegalArgumentException.class, () -> FirmwareLoader.parse(big));
    }

    @Test
    void shouldRejectSectionSizesThatAreNotPages() {
        assertThrows(IllegalArgumentException.class, () -> new Spec(8, 8, 1000, 4096, 4096, "x"));
    }
}
