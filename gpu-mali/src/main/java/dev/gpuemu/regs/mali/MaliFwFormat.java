package dev.gpuemu.regs.mali;

/// The CSF firmware container (`mali_csffw.bin`): the binary format panthor parses, byte for
/// byte, plus the descriptor gpuemu's emulated MCU reads at boot. Little-endian throughout.
/// docs/devices/mali-g610.md documents it with a hex dump of the generated image.
///
/// ## Container (panthor_fw.c)
/// A 20-byte header, then entries until the header's `size`:
///
/// | offset | field |
/// |---|---|
/// | 0 | u32 `magic` = [#HEADER_MAGIC] |
/// | 4 | u8 `minor`, u8 `major` (major <= [#HEADER_MAJOR_MAX]), u16 padding (MBZ) |
/// | 8 | u32 `version_hash` |
/// | 12 | u32 padding (MBZ) |
/// | 16 | u32 `size`: bytes of the container (<= the file size) |
///
/// Each entry starts with a u32 `ehdr`: type [7:0], entry size in bytes including `ehdr` [15:8]
/// (a multiple of 4), [#ENTRY_UPDATE] bit 30, [#ENTRY_OPTIONAL] bit 31 (an unknown optional entry
/// is skipped; an unknown mandatory one is an error).
///
/// An **interface** entry ([#ENTRY_TYPE_IFACE]) describes one section of MCU memory: u32 `flags`
/// ([#IFACE_RD] ...), u32 `va_start`, u32 `va_end` (MCU VAs, page aligned, end exclusive), u32
/// `data_start`, u32 `data_end` (file offsets of the initial contents; the rest of the section is
/// zero when [#IFACE_ZERO] is set), then the section's name (NUL-padded to the entry size). The
/// section at [CsfIface#SHARED_REGION_START] must have [#IFACE_SHARED].
///
/// A **build info** entry ([#ENTRY_TYPE_BUILD_INFO_METADATA]): u32 `meta_start`, u32
/// `meta_size`, the file range of a text like `git_sha: 0123abcd...`.
///
/// ## The emulated firmware's descriptor
/// The MCU is emulated at the level of its interface (high-level emulation): it runs no Cortex-M
/// code. It starts by reading a 64-byte descriptor at MCU VA [#HLE_ENTRY_VA] (through address
/// space 0, as the real MCU fetches its first instruction) and checks it; any mismatch halts it
/// with `MCU_STATUS = FATAL`.
///
/// | offset | field |
/// |---|---|
/// | 0x00 | u32 `magic` = [#HLE_MAGIC] |
/// | 0x04 | u32 descriptor version = [#HLE_VERSION] |
/// | 0x08 | u32 interface version (`CsfIface.version(1, 1, 0)`) |
/// | 0x0C | u32 CSG slots (1..31) |
/// | 0x10 | u32 CS slots per CSG (1..32) |
/// | 0x14 | u32 GLB features |
/// | 0x18 | u32 instr features |
/// | 0x1C | u32 `body_size`: bytes after the descriptor covered by the checksum |
/// | 0x20 | u32 `body_crc32c`: CRC32C of those bytes |
/// | 0x24..0x3F | MBZ |
public final class MaliFwFormat {
    private MaliFwFormat() {
    }

    /// The name the driver requests: `arm/mali/arch<major>.<minor>/mali_csffw.bin`.
    public static String firmwareName(int archMajor, int archMinor) {
        return "arm/mali/arch" + archMajor + "." + archMinor + "/mali_csffw.bin";
    }

    public static final int HEADER_MAGIC = 0xC3F1_3A6E;
    public static final int HEADER_MAJOR_MAX = 0;
    public static final int HEADER_SIZE = 20;

    public static final int ENTRY_TYPE_IFACE = 0;
    public static final int ENTRY_TYPE_CONFIG = 1;
    public static final int ENTRY_TYPE_FUTF_TEST = 2;
    public static final int ENTRY_TYPE_TRACE_BUFFER = 3;
    public static final int ENTRY_TYPE_TIMELINE_METADATA = 4;
    public static final int ENTRY_TYPE_BUILD_INFO_METADATA = 6;
    public static final int ENTRY_UPDATE = 1 << 30;
    public static final int ENTRY_OPTIONAL = 1 << 31;

    /// Type of entry header `ehdr`.
    public static int entryType(int ehdr) {
        return ehdr & 0xFF;
    }

    /// Size in bytes (header word included) of entry `ehdr`.
    public static int entrySize(int ehdr) {
        return (ehdr >>> 8) & 0xFF;
    }

    /// An entry header word.
    public static int ehdr(int type, int size, boolean optional) {
        return (type & 0xFF) | (size & 0xFF) << 8 | (optional ? ENTRY_OPTIONAL : 0);
    }

    public static final int IFACE_HEADER_SIZE = 20;
    public static final int IFACE_RD = 1;
    public static final int IFACE_WR = 1 << 1;
    public static final int IFACE_EX = 1 << 2;
    public static final int IFACE_CACHE_MODE_NONE = 0;
    public static final int IFACE_CACHE_MODE_CACHED = 1 << 3;
    public static final int IFACE_CACHE_MODE_UNCACHED_COHERENT = 2 << 3;
    public static final int IFACE_CACHE_MODE_CACHED_COHERENT = 3 << 3;
    public static final int IFACE_CACHE_MODE_MASK = 3 << 3;
    public static final int IFACE_PROT = 1 << 5;
    public static final int IFACE_SHARED = 1 << 30;
    public static final int IFACE_ZERO = 1 << 31;
    public static final int IFACE_SUPPORTED_FLAGS = IFACE_RD | IFACE_WR | IFACE_EX | IFACE_CACHE_MODE_MASK | IFACE_PROT
            | IFACE_SHARED | IFACE_ZERO;

    public static final long HLE_ENTRY_VA = 0x0;
    /// `'G' 'M' 'F' 'W'` as a little-endian u32.
    public static final int HLE_MAGIC = 0x5746_4D47;
    public static final int HLE_VERSION = 1;
    public static final int HLE_DESC_SIZE = 64;
    public static final int HLE_OFF_MAGIC = 0x00;
    public static final int HLE_OFF_VERSION = 0x04;
    public static final int HLE_OFF_IFACE_VERSION = 0x08;
    public static final int HLE_OFF_CSG_SLOTS = 0x0C;
    public static final int HLE_OFF_CS_PER_CSG = 0x10;
    public static final int HLE_OFF_GLB_FEATURES = 0x14;
    public static final int HLE_OFF_INSTR_FEATURES = 0x18;
    public static final int HLE_OFF_BODY_SIZE = 0x1C;
    public static final int HLE_OFF_BODY_CRC = 0x20;
}
