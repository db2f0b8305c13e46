package dev.gpuemu.regs.nvidia;

import static dev.gpuemu.regs.Access.RO;
import static dev.gpuemu.regs.Access.RW;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.Field;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.RegisterMaps;
import java.util.List;

/// **gpuemu's channel-control window** (project-defined, not NVIDIA hardware): the registers of
/// one channel, at offsets relative to the channel's block ([#offset(int, NvHostReg)]). The window
/// lies at `NvBar0Map.HOST_WINDOW_BASE`; channel `n`'s block starts at
/// `CHANNEL_BASE + n * CHANNEL_STRIDE` inside it.
///
/// On real Ampere a channel is built by GSP-RM through RPCs: an instance block (RAMIN) holding the
/// page-directory base, RAMFC holding the GPFIFO base and size, USERD holding GP_PUT/GP_GET, a
/// runlist entry and a work-submit token handed back to the client. gpuemu replaces all of that
/// with these registers; what stays real is the GPFIFO entry format ([GpFifoEntry]), the
/// pushbuffer format ([PushbufferHeader], [Clc56f]), the copy class ([Clc6b5]), the GMMU
/// page-table format ([GmmuPde], [GmmuPte]), the fault codes (`NV_PFAULT_FAULT_TYPE_*`) and the
/// doorbell (`NV_USERMODE_NOTIFY_CHANNEL_PENDING` takes [#WORK_SUBMIT_TOKEN]).
///
/// ## Programming a channel
/// While `ENABLE` is 0: write `GPFIFO_BASE_LO/HI` (GPU VA, 8-byte aligned), `GPFIFO_ENTRIES`
/// (power of two, 2..[#MAX_GPFIFO_ENTRIES]), `PDB_LO/HI` (4 KiB aligned page-directory base,
/// level 3), `PDB_APERTURE` ([GmmuPde#APERTURE_VIDEO_MEMORY] or a system aperture) and `CLASS`
/// ([Clc6b5#AMPERE_DMA_COPY_A]). Then write `ENABLE = 1`: the configuration is checked and
/// latched, `GP_GET` and `GP_PUT` become 0 and `STATUS.STATE` IDLE (or ERROR with
/// `STATUS.ERROR = BAD_CONFIG`). Configuration writes while enabled are guest errors and ignored.
/// Submit: write entries into the GPFIFO, write `GP_PUT`, write [#WORK_SUBMIT_TOKEN]'s value to
/// `NV_USERMODE_NOTIFY_CHANNEL_PENDING`. `ENABLE = 0` stops the channel (queued work dropped).
///
/// ## Invariants
/// Per-channel offsets lie inside [#CHANNEL_STRIDE]; all channels inside `HOST_WINDOW_SIZE`.
public enum NvHostReg implements RegisterDef {
    /// GPFIFO ring base, GPU VA bits 31:0 (bits 2:0 must be 0).
    GPFIFO_BASE_LO(0x00, RW),
    /// GPFIFO ring base, GPU VA bits 48:32.
    GPFIFO_BASE_HI(0x04, RW),
    /// Number of 8-byte entries in the ring (power of two).
    GPFIFO_ENTRIES(0x08, RW),
    /// Index of the next entry software will write (entries `GP_GET..GP_PUT-1` are pending).
    GP_PUT(0x0C, RW),
    /// Index of the next entry the host will fetch; advances when an entry's work completed.
    GP_GET(0x10, RO),
    /// Page-directory base (the level-3 table), address bits 31:12 (bits 11:0 must be 0).
    PDB_LO(0x14, RW),
    /// Page-directory base, address bits 63:32.
    PDB_HI(0x18, RW),
    /// Aperture of the page directory, encoded like a PDE's `APERTURE` (1 video, 2/3 system).
    PDB_APERTURE(0x1C, RW),
    /// The engine class the channel binds with `SET_OBJECT` (only `0xC6B5`).
    CLASS(0x20, RW),
    /// Bit 0: channel enabled.
    ENABLE(0x24, RW),
    /// State and last error, see [NvHostRegs#STATE] and [NvHostRegs#ERROR].
    STATUS(0x28, RO, NvHostRegs.STATE, NvHostRegs.ERROR, NvHostRegs.ERROR_SUBCHANNEL),
    /// Faulting GPU VA bits 31:0 (valid while `FAULT_INFO.VALID`).
    FAULT_ADDR_LO(0x2C, RO),
    /// Faulting GPU VA bits 63:32.
    FAULT_ADDR_HI(0x30, RO),
    /// MMU fault type, access type, client, valid.
    FAULT_INFO(0x34, RO, NvHostRegs.FAULT_TYPE, NvHostRegs.FAULT_ACCESS,
            NvHostRegs.FAULT_CLIENT, NvHostRegs.FAULT_VALID),
    /// The value to write to `NV_USERMODE_NOTIFY_CHANNEL_PENDING` (= the channel id).
    WORK_SUBMIT_TOKEN(0x38, RO),
    /// Detail of the last error: the method byte offset (INVALID_METHOD/INVALID_CLASS/
    /// INVALID_LAUNCH), the GPFIFO entry index (BAD_GPFIFO_ENTRY/BAD_GP_PUT), else 0.
    ERROR_INFO(0x3C, RO);

    /// Offset of channel 0's block inside the window.
    public static final int CHANNEL_BASE = 0x1000;
    /// Bytes per channel block.
    public static final int CHANNEL_STRIDE = 0x40;
    /// Number of channels.
    public static final int CHANNEL_COUNT = 64;
    /// Largest `GPFIFO_ENTRIES` value accepted (1 Mi entries = 8 MiB of ring).
    public static final int MAX_GPFIFO_ENTRIES = 1 << 20;

    /// The validated map (offsets relative to a channel block).
    public static final List<NvHostReg> MAP = RegisterMaps.validate(List.of(values()));
    private static final NvHostReg[] BY_WORD = new NvHostReg[CHANNEL_STRIDE / 4];

    static {
        for (NvHostReg r : values()) {
            BY_WORD[(int) (r.offset / 4)] = r;
        }
    }

    private final long offset;
    private final Access access;
    private final List<Field> fields;

    NvHostReg(long offset, Access access, Field... fields) {
        this.offset = offset;
        this.access = access;
        this.fields = List.of(fields);
    }

    /// Offset inside the host window of `reg` of channel `channel`.
    public static int offset(int channel, NvHostReg reg) {
        if (channel < 0 || channel >= CHANNEL_COUNT) {
            throw new IllegalArgumentException("channel " + channel);
        }
        return CHANNEL_BASE + channel * CHANNEL_STRIDE + (int) reg.offset;
    }

    /// The register at `relOffset` inside a channel block, or null (no allocation).
    public static NvHostReg atOrNull(long relOffset) {
        if (relOffset < 0 || relOffset >= CHANNEL_STRIDE || (relOffset & 3) != 0) {
            return null;
        }
        return BY_WORD[(int) (relOffset >>> 2)];
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public int width() {
        return 4;
    }

    @Override
    public Access access() {
        return access;
    }

    /// Every channel register resets to 0, except `WORK_SUBMIT_TOKEN` (the channel id).
    @Override
    public long resetValue() {
        return 0;
    }

    @Override
    public List<Field> fields() {
        return fields;
    }
}
