package dev.gpuemu.tools.malifw;

import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliFwFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/// Writes the emulated G610's firmware image, `mali_csffw.bin`, in panthor's container format
/// ([MaliFwFormat]). Deterministic: the same [Spec] gives the same bytes on every build.
///
/// ## File layout
/// | offset | contents |
/// |---|---|
/// | 0 | 20-byte header (`size` = header + entries) |
/// | 20 | IFACE `text`: VA 0 .. code size, RD\|EX\|CACHED, data = the code bytes |
/// | | IFACE `data`: VA [#DATA_VA], RD\|WR\|ZERO, no file data |
/// | | IFACE `shared`: VA `SHARED_REGION_START`, RD\|WR\|SHARED\|ZERO\|UNCACHED_COHERENT |
/// | | BUILD_INFO_METADATA (optional entry): the `git_sha: ...` text |
/// | 64-aligned | code bytes: the 64-byte HLE descriptor, then the body (CRC32C in the descriptor) |
/// | after code | build info text |
///
/// The body is filler the MCU only checksums: a title line, then a xorshift sequence.
public final class MaliFirmwareImage {
    /// MCU VA of the data section.
    public static final long DATA_VA = 0x0010_0000L;
    /// A deterministic stand-in for the firmware's git hash.
    public static final String DEFAULT_GIT_SHA = "6770656d752d6d616c692d686c652d6677303031";

    private MaliFirmwareImage() {
    }

    /// What to build.
    ///
    /// @param csgSlots        CSG slots the firmware offers
    /// @param csPerCsg        streams per CSG
    /// @param codeSize        bytes of the code section (a page multiple >= 4 KiB; descriptor + body)
    /// @param dataSize        bytes of the data section (a page multiple)
    /// @param sharedSize      bytes of the shared section (a page multiple)
    /// @param gitSha          the text after `git_sha: `
    public record Spec(int csgSlots, int csPerCsg, int codeSize, int dataSize, int sharedSize, String gitSha) {
        public Spec {
            if (codeSize < 4096 || codeSize % 4096 != 0 || dataSize % 4096 != 0 || sharedSize < 4096
                    || sharedSize % 4096 != 0) {
                throw new IllegalArgumentException("section sizes must be page multiples");
            }
        }

        /// The image the build ships: 8 CSGs x 8 CSs, 64 KiB code, 64 KiB data, 256 KiB shared.
        public static Spec defaults() {
            return new Spec(8, 8, 64 << 10, 64 << 10, 256 << 10, DEFAULT_GIT_SHA);
        }

        public Spec withSharedSize(int bytes) {
            return new Spec(csgSlots, csPerCsg, codeSize, dataSize, bytes, gitSha);
        }
    }

    /// Writes the image of `Spec.defaults()` to `args[0]` (creating parent directories).
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: MaliFirmwareImage <output mali_csffw.bin>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, build(Spec.defaults()));
    }

    /// The code section's bytes: descriptor then body.
    public static byte[] code(Spec spec) {
        ByteBuffer b = ByteBuffer.allocate(spec.codeSize()).order(ByteOrder.LITTLE_ENDIAN);
        int bodySize = spec.codeSize() - MaliFwFormat.HLE_DESC_SIZE;
        byte[] body = body(bodySize);
        CRC32C crc = new CRC32C();
        crc.update(body);
        b.putInt(MaliFwFormat.HLE_OFF_MAGIC, MaliFwFormat.HLE_MAGIC);
        b.putInt(MaliFwFormat.HLE_OFF_VERSION, MaliFwFormat.HLE_VERSION);
        b.putInt(MaliFwFormat.HLE_OFF_IFACE_VERSION, CsfIface.version(1, 1, 0));
        b.putInt(MaliFwFormat.HLE_OFF_CSG_SLOTS, spec.csgSlots());
        b.putInt(MaliFwFormat.HLE_OFF_CS_PER_CSG, spec.csPerCsg());
        b.putInt(MaliFwFormat.HLE_OFF_GLB_FEATURES, 0);
        b.putInt(MaliFwFormat.HLE_OFF_INSTR_FEATURES, 0x4); // CS instruction set v4 (panthor: instr_features)
        b.putInt(MaliFwFormat.HLE_OFF_BODY_SIZE, bodySize);
        b.putInt(MaliFwFormat.HLE_OFF_BODY_CRC, (int) crc.getValue());
        b.put(MaliFwFormat.HLE_DESC_SIZE, body);
        return b.array();
    }

    private static byte[] body(int size) {
        byte[] body = new byte[size];
        byte[] title = "gpuemu Mali-G610 CSF firmware (high-level emulation; no MCU code)\n"
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(title, 0, body, 0, Math.min(title.length, size));
        long x = 0x9E37_79B9_7F4A_7C15L;
        for (int i = title.length; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            body[i] = (byte) x;
        }
        return body;
    }

    /// The whole `mali_csffw.bin` for `spec`.
    public static byte[] build(Spec spec) {
        byte[] code = code(spec);
        byte[] info = ("git_sha: " + spec.gitSha()).getBytes(StandardCharsets.US_ASCII);
        int ifaceEntry = 4 + MaliFwFormat.IFACE_HEADER_SIZE + 8; // ehdr, header, 8-byte name
        int infoEntry = 12;
        int containerSize = MaliFwFormat.HEADER_SIZE + 3 * ifaceEntry + infoEntry;
        int codeOff = (containerSize + 63) & ~63;
        int infoOff = codeOff + code.length;
        ByteBuffer b = ByteBuffer.allocate(infoOff + info.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MaliFwFormat.HEADER_MAGIC);
        b.put((byte) 0).put((byte) MaliFwFormat.HEADER_MAJOR_MAX).putShort((short) 0); // minor, major, MBZ
        b.putInt(0x4750_5545); // version_hash
        b.putInt(0);
        b.putInt(containerSize);
        iface(b, ifaceEntry, MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_EX | MaliFwFormat.IFACE_CACHE_MODE_CACHED,
                0, code.length, codeOff, codeOff + code.length, "text");
        iface(b, ifaceEntry, MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_WR | MaliFwFormat.IFACE_ZERO,
                DATA_VA, DATA_VA + spec.dataSize(), codeOff, codeOff, "data");
        iface(b, ifaceEntry, MaliFwFormat.IFACE_RD | MaliFwFormat.IFACE_WR | MaliFwFormat.IFACE_SHARED
                | MaliFwFormat.IFACE_ZERO | MaliFwFormat.IFACE_CACHE_MODE_UNCACHED_COHERENT,
                CsfIface.SHARED_REGION_START, CsfIface.SHARED_REGION_START + spec.sharedSize(), codeOff, codeOff, "shared");
        b.putInt(MaliFwFormat.ehdr(MaliFwFormat.ENTRY_TYPE_BUILD_INFO_METADATA, infoEntry, true));
        b.putInt(infoOff);
        b.putInt(info.length);
        b.put(codeOff, code);
        b.put(infoOff, info);
        return b.array();
    }

    private static void iface(ByteBuffer b, int size, int flags, long vaStart, long vaEnd, int dataStart, int dataEnd,
            String name) {
        b.putInt(MaliFwFormat.ehdr(MaliFwFormat.ENTRY_TYPE_IFACE, size, false));
        b.putInt(flags);
        b.putInt((int) vaStart);
        b.putInt((int) vaEnd);
        b.putInt(dataStart);
        b.putInt(dataEnd);
        byte[] n = new byte[size - 4 - MaliFwFormat.IFACE_HEADER_SIZE];
        byte[] s = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, n, 0, Math.min(s.length, n.length));
        b.put(n);
    }
}
