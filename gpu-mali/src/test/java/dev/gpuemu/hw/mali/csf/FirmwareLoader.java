package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.regs.mali.MaliFwFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/// A test-side parser of the `mali_csffw.bin` container, written from panthor_fw.c's rules
/// (not from the writer): header checks, entries until `size`, IFACE sections and build info.
final class FirmwareLoader {
    record Section(int flags, long vaStart, long vaEnd, int dataStart, int dataEnd, String name) {
    }

    record Parsed(int major, int minor, List<Section> sections, String buildInfo) {
    }

    private FirmwareLoader() {
    }

    static Parsed parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != MaliFwFormat.HEADER_MAGIC) {
            throw new IllegalArgumentException("bad magic");
        }
        int minor = b.get(4) & 0xFF;
        int major = b.get(5) & 0xFF;
        if (major > MaliFwFormat.HEADER_MAJOR_MAX || b.getShort(6) != 0 || b.getInt(12) != 0) {
            throw new IllegalArgumentException("bad header");
        }
        int size = b.getInt(16);
        if (size > file.length) {
            throw new IllegalArgumentException("container larger than file");
        }
        List<Section> sections = new ArrayList<>();
        String info = null;
        int off = MaliFwFormat.HEADER_SIZE;
        while (off < size) {
            int ehdr = b.getInt(off);
            int esize = MaliFwFormat.entrySize(ehdr);
            if (esize < 4 || esize % 4 != 0 || off + esize > size) {
                throw new IllegalArgumentException("bad entry size at " + off);
            }
            switch (MaliFwFormat.entryType(ehdr)) {
                case MaliFwFormat.ENTRY_TYPE_IFACE -> {
                    int flags = b.getInt(off + 4);
                    long vs = Integer.toUnsignedLong(b.getInt(off + 8));
                    long ve = Integer.toUnsignedLong(b.getInt(off + 12));
                    int ds = b.getInt(off + 16);
                    int de = b.getInt(off + 20);
                    if ((flags & ~MaliFwFormat.IFACE_SUPPORTED_FLAGS) != 0 || (vs & 0xFFF) != 0 || (ve & 0xFFF) != 0
                            || de < ds || de > file.length || de - ds > ve - vs) {
                        throw new IllegalArgumentException("bad section at " + off);
                    }
                    int nameLen = esize - 4 - MaliFwFormat.IFACE_HEADER_SIZE;
                    String name = new String(file, off + 24, nameLen, StandardCharsets.US_ASCII).replace("\0", "");
                    sections.add(new Section(flags, vs, ve, ds, de, name));
                }
                case MaliFwFormat.ENTRY_TYPE_BUILD_INFO_METADATA -> {
                    int ms = b.getInt(off + 4);
                    int mz = b.getInt(off + 8);
                    info = new String(file, ms, mz, StandardCharsets.US_ASCII);
                }
                default -> {
                    if ((ehdr & MaliFwFormat.ENTRY_OPTIONAL) == 0) {
                        throw new IllegalArgumentException("unknown mandatory entry");
                    }
                }
            }
            off += esize;
        }
        return new Parsed(major, minor, sections, info);
    }
}
