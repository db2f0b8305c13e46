package dev.gpuemu.kernel.drivers.tyr.fw;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.driver.Device;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.MaliFwFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/// The parsed CSF firmware container ([MaliFwFormat]) with panthor_fw.c's checks. Each failure
/// logs panthor's `drm_err` text against the device and is `EINVAL`.
///
/// @param sections interface entries in file order
/// @param buildInfo the build-info text, or empty
public record FwImage(List<Iface> sections, String buildInfo) {
    /// One interface entry: where a section lives in MCU memory and its initial contents.
    ///
    /// @param flags     `IFACE_*`
    /// @param vaStart   MCU VA, page aligned
    /// @param vaEnd     MCU VA, page aligned, exclusive
    /// @param dataStart file offset of the initial contents
    /// @param dataEnd   file offset past them
    /// @param name      section name
    public record Iface(int flags, long vaStart, long vaEnd, int dataStart, int dataEnd, String name) {
        public boolean isShared() {
            return (flags & MaliFwFormat.IFACE_SHARED) != 0;
        }
    }

    private static final long PAGE = 4096;

    /// Parses `bytes`.
    public static FwImage parse(Device<?> dev, ByteBuffer bytes) throws KernelException {
        ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int fileSize = b.remaining();
        if (fileSize < MaliFwFormat.HEADER_SIZE) {
            throw fail(dev, "Firmware too small");
        }
        if (b.getInt(0) != MaliFwFormat.HEADER_MAGIC) {
            throw fail(dev, "Invalid firmware magic");
        }
        int minor = b.get(4) & 0xFF;
        int major = b.get(5) & 0xFF;
        if (major != MaliFwFormat.HEADER_MAJOR_MAX) {
            throw fail(dev, String.format("Unsupported firmware binary header version %d.%d (expected %d.x)", major, minor,
                    MaliFwFormat.HEADER_MAJOR_MAX));
        }
        long size = b.getInt(16) & 0xFFFF_FFFFL;
        if (size > fileSize) {
            throw fail(dev, "Firmware image is truncated");
        }
        List<Iface> sections = new ArrayList<>();
        String buildInfo = "";
        int off = MaliFwFormat.HEADER_SIZE;
        while (off < size) {
            if (off + 4 > size) {
                throw fail(dev, "Firmware too small");
            }
            int ehdr = b.getInt(off);
            int esize = MaliFwFormat.entrySize(ehdr);
            int type = MaliFwFormat.entryType(ehdr);
            if (esize < 4 || (esize & 3) != 0) {
                throw fail(dev, String.format("Firmware entry isn't 32 bit aligned, offset=0x%x size=0x%x", off, esize));
            }
            if (off + esize > size) {
                throw fail(dev, "Firmware too small");
            }
            switch (type) {
                case MaliFwFormat.ENTRY_TYPE_IFACE -> sections.add(iface(dev, b, off, esize, fileSize));
                case MaliFwFormat.ENTRY_TYPE_BUILD_INFO_METADATA -> buildInfo = buildInfo(dev, b, off, esize, fileSize);
                default -> {
                    if ((ehdr & MaliFwFormat.ENTRY_OPTIONAL) == 0) {
                        throw fail(dev, "Unsupported non-optional entry type " + type + " in firmware");
                    }
                }
            }
            off += esize;
        }
        if (sections.stream().noneMatch(s -> s.vaStart() == CsfIface.SHARED_REGION_START && s.isShared())) {
            throw fail(dev, "Shared interface region not found");
        }
        return new FwImage(List.copyOf(sections), buildInfo);
    }

    private static Iface iface(Device<?> dev, ByteBuffer b, int off, int esize, int fileSize) throws KernelException {
        if (esize < 4 + MaliFwFormat.IFACE_HEADER_SIZE) {
            throw fail(dev, "Firmware too small");
        }
        int p = off + 4;
        int flags = b.getInt(p);
        long vaStart = b.getInt(p + 4) & 0xFFFF_FFFFL;
        long vaEnd = b.getInt(p + 8) & 0xFFFF_FFFFL;
        long dataStart = b.getInt(p + 12) & 0xFFFF_FFFFL;
        long dataEnd = b.getInt(p + 16) & 0xFFFF_FFFFL;
        if (dataEnd < dataStart || dataEnd > fileSize) {
            throw fail(dev, "Firmware corrupted, data outside of image");
        }
        if ((flags & ~MaliFwFormat.IFACE_SUPPORTED_FLAGS) != 0) {
            throw fail(dev, String.format("Firmware contains interface with unsupported flags (0x%x)", flags));
        }
        if ((flags & MaliFwFormat.IFACE_PROT) != 0) {
            throw fail(dev, "Firmware has protected sections but no protected memory");
        }
        if ((vaStart & (PAGE - 1)) != 0 || (vaEnd & (PAGE - 1)) != 0 || vaEnd <= vaStart
                || dataEnd - dataStart > vaEnd - vaStart) {
            throw fail(dev, String.format("Invalid firmware section 0x%x-0x%x", vaStart, vaEnd));
        }
        int nameLen = esize - 4 - MaliFwFormat.IFACE_HEADER_SIZE;
        byte[] raw = new byte[nameLen];
        b.get(p + MaliFwFormat.IFACE_HEADER_SIZE, raw);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new Iface(flags, vaStart, vaEnd, (int) dataStart, (int) dataEnd, new String(raw, 0, n, StandardCharsets.US_ASCII));
    }

    private static String buildInfo(Device<?> dev, ByteBuffer b, int off, int esize, int fileSize) throws KernelException {
        if (esize < 12) {
            throw fail(dev, "Firmware too small");
        }
        long start = b.getInt(off + 4) & 0xFFFF_FFFFL;
        long len = b.getInt(off + 8) & 0xFFFF_FFFFL;
        if (start + len > fileSize) {
            throw fail(dev, "Firmware build info corrupt");
        }
        byte[] raw = new byte[(int) len];
        b.get((int) start, raw);
        return new String(raw, StandardCharsets.US_ASCII).replace("\0", "").trim();
    }

    private static KernelException fail(Device<?> dev, String msg) {
        dev.err(msg);
        return new KernelException(Errno.EINVAL, msg);
    }
}
