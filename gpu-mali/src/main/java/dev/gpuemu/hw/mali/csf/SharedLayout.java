package dev.gpuemu.hw.mali.csf;

import dev.gpuemu.regs.mali.CsfIface;

/// Where the emulated firmware puts its interface blocks in the shared section (MCU VAs, all in
/// address space 0). panthor finds everything through the control blocks, so only the control
/// offsets are fixed by `CsfIface`; the rest is this model's choice:
///
/// | offset from `SHARED_REGION_START` | contents |
/// |---|---|
/// | `0x0000` | GLB control block (`CsfIface.Glb`, 0x20 bytes) |
/// | `0x1000 + i * groupStride` | CSG `i` control block (`CsfIface.Csg`, 0x1C bytes) |
/// | `... + 0x40 + j * 0x10` | CS `j` control block of CSG `i` (`CsfIface.Cs`, 0x0C bytes) |
/// | `ifaceBase` (next page after the CSG controls) | GLB input block, then GLB output block |
/// | `ifaceBase + 0x200 + i * (2 + 2 * csPerCsg) * 0x100` | CSG `i` input, output, then CS `j` input, output for each `j` |
///
/// Input and output blocks are [#BLOCK] = 256 bytes each (every field of `CsfIface` fits), so
/// host-written and firmware-written words never share a block. With 8 groups of 8 streams the
/// layout needs 0xB200 bytes (44.5 KiB); the generated firmware's shared section has 256 KiB.
///
/// @param csgCount  command stream groups (1..31)
/// @param csPerCsg  streams per group (1..32)
///
/// ## Invariants
/// Every block lies inside `[SHARED_REGION_START, SHARED_REGION_START + size())`; no two blocks
/// overlap.
public record SharedLayout(int csgCount, int csPerCsg) {
    /// Size of an input or output block.
    public static final int BLOCK = 0x100;
    /// Stride of CS control blocks inside a CSG control block.
    public static final int STREAM_STRIDE = 0x10;

    public SharedLayout {
        if (csgCount < 1 || csgCount > 31 || csPerCsg < 1 || csPerCsg > 32) {
            throw new IllegalArgumentException("bad CSG/CS counts " + csgCount + "/" + csPerCsg);
        }
    }

    /// Stride of CSG control blocks (`group_stride`).
    public int groupStride() {
        return (int) align(CsfIface.STREAM_CONTROL_OFFSET + (long) csPerCsg * STREAM_STRIDE, 0x40);
    }

    private long ifaceBase() {
        return align(CsfIface.GROUP_CONTROL_OFFSET + (long) csgCount * groupStride(), 0x1000);
    }

    private long csgBlocks() {
        return (2L + 2L * csPerCsg) * BLOCK;
    }

    /// Bytes of the shared section the layout uses.
    public long size() {
        return ifaceBase() + 2L * BLOCK + csgCount * csgBlocks();
    }

    public long glbControl() {
        return CsfIface.SHARED_REGION_START;
    }

    public long glbInput() {
        return CsfIface.SHARED_REGION_START + ifaceBase();
    }

    public long glbOutput() {
        return glbInput() + BLOCK;
    }

    public long csgControl(int i) {
        return CsfIface.SHARED_REGION_START + CsfIface.GROUP_CONTROL_OFFSET + (long) i * groupStride();
    }

    public long csgInput(int i) {
        return glbInput() + 2L * BLOCK + i * csgBlocks();
    }

    public long csgOutput(int i) {
        return csgInput(i) + BLOCK;
    }

    public long csControl(int i, int j) {
        return csgControl(i) + CsfIface.STREAM_CONTROL_OFFSET + (long) j * STREAM_STRIDE;
    }

    public long csInput(int i, int j) {
        return csgInput(i) + 2L * BLOCK + 2L * j * BLOCK;
    }

    public long csOutput(int i, int j) {
        return csInput(i, j) + BLOCK;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }
}
