package dev.gpuemu.hw.mali.csf;

import static dev.gpuemu.regs.mali.MaliAsReg.ACCESS_READ;
import static dev.gpuemu.regs.mali.MaliAsReg.ACCESS_WRITE;

import dev.gpuemu.machine.pages.PageEngine;
import dev.gpuemu.regs.mali.CsInstr;
import dev.gpuemu.regs.mali.CsfIface;
import dev.gpuemu.regs.mali.CsfIface.Cs;
import dev.gpuemu.regs.mali.CsfIface.Csg;
import dev.gpuemu.regs.mali.CsfIface.Glb;
import dev.gpuemu.regs.mali.MaliFwFormat;
import java.lang.foreign.MemorySegment;

/// The emulated MCU's boot: what the real firmware's reset vector and init code would do, at
/// the level of the interface.
///
/// 1. Read the 64-byte descriptor at MCU VA `HLE_ENTRY_VA` through address space 0 and check
///    magic, descriptor version, interface major 1, CSG slots 1..31, CS per CSG 1..32, body size
///    (8 bytes .. 16 MiB) and MBZ words.
/// 2. Read the body (the bytes after the descriptor) through address space 0 and compare its
///    CRC32C with the descriptor's.
/// 3. Translate every page of the shared section the [SharedLayout] needs, for writing: a
///    section smaller than the layout is a failure, found before any byte is written.
/// 4. Write the GLB control block, every CSG and CS control block, and zero every output block.
///
/// Any failure (including an MMU fault on address space 0) answers a reason; the caller sets
/// `MCU_STATUS = FATAL`.
///
/// ## Thread safety
/// Stateless; runs on the clock thread under the device lock.
final class McuBoot {
    /// Largest body the MCU checks.
    static final int MAX_BODY = 16 << 20;

    private McuBoot() {
    }

    /// The result: a layout, or a failure reason.
    record Result(SharedLayout layout, String failure) {
    }

    static Result boot(VmIo io) {
        io.begin();
        long d = MaliFwFormat.HLE_ENTRY_VA;
        int magic = io.read32(0, d + MaliFwFormat.HLE_OFF_MAGIC);
        int version = io.read32(0, d + MaliFwFormat.HLE_OFF_VERSION);
        int ifaceVersion = io.read32(0, d + MaliFwFormat.HLE_OFF_IFACE_VERSION);
        int csgSlots = io.read32(0, d + MaliFwFormat.HLE_OFF_CSG_SLOTS);
        int csPer = io.read32(0, d + MaliFwFormat.HLE_OFF_CS_PER_CSG);
        int glbFeatures = io.read32(0, d + MaliFwFormat.HLE_OFF_GLB_FEATURES);
        int instrFeatures = io.read32(0, d + MaliFwFormat.HLE_OFF_INSTR_FEATURES);
        int bodySize = io.read32(0, d + MaliFwFormat.HLE_OFF_BODY_SIZE);
        int bodyCrc = io.read32(0, d + MaliFwFormat.HLE_OFF_BODY_CRC);
        int mbz = 0;
        for (int off = MaliFwFormat.HLE_OFF_BODY_CRC + 4; off < MaliFwFormat.HLE_DESC_SIZE; off += 4) {
            mbz |= io.read32(0, d + off);
        }
        if (!io.ok()) {
            return fail(String.format("descriptor read faulted at 0x%x (type 0x%x)", io.faultVa(), io.faultType()));
        }
        if (magic != MaliFwFormat.HLE_MAGIC) {
            return fail(String.format("bad descriptor magic 0x%08x", magic));
        }
        if (version != MaliFwFormat.HLE_VERSION) {
            return fail("unsupported descriptor version " + version);
        }
        if (ifaceVersion >>> 24 != 1) {
            return fail(String.format("unsupported interface version 0x%08x", ifaceVersion));
        }
        if (csgSlots < 1 || csgSlots > 31 || csPer < 1 || csPer > 32) {
            return fail("bad slot counts " + csgSlots + " CSG x " + csPer + " CS");
        }
        if (bodySize < 8 || bodySize > MAX_BODY) {
            return fail("bad body size " + bodySize);
        }
        if (mbz != 0) {
            return fail("non-zero reserved descriptor words");
        }
        int crc = 0;
        long va = d + MaliFwFormat.HLE_DESC_SIZE;
        for (long done = 0; done < bodySize;) {
            long chunk = Math.min(bodySize - done, VmIo.toPageEnd(va + done));
            MemorySegment s = io.map(0, va + done, chunk, ACCESS_READ);
            if (s == null) {
                return fail(String.format("body read faulted at 0x%x", io.faultVa()));
            }
            crc = PageEngine.vector().crc32c(crc, s);
            done += chunk;
        }
        if (crc != bodyCrc) {
            return fail(String.format("body CRC32C 0x%08x, descriptor says 0x%08x", crc, bodyCrc));
        }
        SharedLayout layout = new SharedLayout(csgSlots, csPer);
        if (!io.probe(0, CsfIface.SHARED_REGION_START, layout.size(), ACCESS_WRITE)) {
            return fail(String.format("shared section too small: 0x%x bytes needed, fault at 0x%x",
                    layout.size(), io.faultVa()));
        }
        writeControl(io, layout, ifaceVersion, glbFeatures, instrFeatures);
        if (!io.ok()) {
            return fail(String.format("control block write faulted at 0x%x", io.faultVa()));
        }
        return new Result(layout, null);
    }

    private static void writeControl(VmIo io, SharedLayout l, int ifaceVersion, int glbFeatures, int instrFeatures) {
        long g = l.glbControl();
        io.write32(0, g + Glb.VERSION, ifaceVersion);
        io.write32(0, g + Glb.FEATURES, glbFeatures);
        io.write32(0, g + Glb.INPUT_VA, (int) l.glbInput());
        io.write32(0, g + Glb.OUTPUT_VA, (int) l.glbOutput());
        io.write32(0, g + Glb.GROUP_NUM, l.csgCount());
        io.write32(0, g + Glb.GROUP_STRIDE, l.groupStride());
        io.write32(0, g + Glb.PERFCNT_SIZE, 0);
        io.write32(0, g + Glb.INSTR_FEATURES, instrFeatures);
        zero(io, l.glbOutput());
        int csFeatures = (CsInstr.REGISTERS - 1) | CsInstr.SCOREBOARDS << 8 | Cs.FEATURES_COMPUTE;
        for (int i = 0; i < l.csgCount(); i++) {
            long c = l.csgControl(i);
            io.write32(0, c + Csg.FEATURES, 0);
            io.write32(0, c + Csg.INPUT_VA, (int) l.csgInput(i));
            io.write32(0, c + Csg.OUTPUT_VA, (int) l.csgOutput(i));
            io.write32(0, c + Csg.SUSPEND_SIZE, 4096);
            io.write32(0, c + Csg.PROTM_SUSPEND_SIZE, 4096);
            io.write32(0, c + Csg.STREAM_NUM, l.csPerCsg());
            io.write32(0, c + Csg.STREAM_STRIDE, SharedLayout.STREAM_STRIDE);
            zero(io, l.csgOutput(i));
            for (int j = 0; j < l.csPerCsg(); j++) {
                long s = l.csControl(i, j);
                io.write32(0, s + Cs.FEATURES, csFeatures);
                io.write32(0, s + Cs.INPUT_VA, (int) l.csInput(i, j));
                io.write32(0, s + Cs.OUTPUT_VA, (int) l.csOutput(i, j));
                zero(io, l.csOutput(i, j));
            }
        }
    }

    private static void zero(VmIo io, long block) {
        for (int off = 0; off < SharedLayout.BLOCK; off += 8) {
            io.write64(0, block + off, 0);
        }
    }

    private static Result fail(String reason) {
        return new Result(null, reason);
    }
}
