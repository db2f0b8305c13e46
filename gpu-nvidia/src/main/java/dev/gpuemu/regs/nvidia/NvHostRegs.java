package dev.gpuemu.regs.nvidia;

import dev.gpuemu.regs.Field;

/// Fields and values of the channel-control window's registers ([NvHostReg]): channel states,
/// error codes, the fault-info layout with NVIDIA's `NV_PFAULT_FAULT_TYPE_*` /
/// `NV_PFAULT_ACCESS_TYPE_VIRT_*` codes (dev_fault.h).
public final class NvHostRegs {
    private NvHostRegs() {
    }

    /// `ENABLE` bit 0.
    public static final int ENABLE_BIT = 1;

    /// `STATUS[1:0]`: channel state.
    public static final Field STATE = new Field("STATE", 1, 0);
    /// `STATUS[15:8]`: why the channel stopped (ERROR_* values).
    public static final Field ERROR = new Field("ERROR", 15, 8);
    /// `STATUS[18:16]`: subchannel of the method that caused the error.
    public static final Field ERROR_SUBCHANNEL = new Field("ERROR_SUBCHANNEL", 18, 16);

    public static final int STATE_DISABLED = 0;
    public static final int STATE_IDLE = 1;
    public static final int STATE_BUSY = 2;
    /// Stopped by an error or an MMU fault; only `ENABLE = 0` then `1` restarts it.
    public static final int STATE_ERROR = 3;

    public static final int ERROR_NONE = 0;
    /// A GMMU fault (details in `FAULT_*`).
    public static final int ERROR_MMU_FAULT = 1;
    /// A method no bound class (or the host class) implements, or on an unbound subchannel.
    public static final int ERROR_INVALID_METHOD = 2;
    /// `SET_OBJECT` naming a class other than `CLASS`.
    public static final int ERROR_INVALID_CLASS = 3;
    /// A malformed GPFIFO entry or pushbuffer header.
    public static final int ERROR_BAD_GPFIFO_ENTRY = 4;
    /// `GP_PUT` outside the ring.
    public static final int ERROR_BAD_GP_PUT = 5;
    /// Enable with an invalid configuration.
    public static final int ERROR_BAD_CONFIG = 6;
    /// `LAUNCH_DMA` with an unsupported or invalid combination (block-linear, reductions...).
    public static final int ERROR_INVALID_LAUNCH = 7;
    /// A system-memory DMA refused by the bus (bus mastering off, outside RAM, above the mask).
    public static final int ERROR_BUS = 8;

    /// `FAULT_INFO[4:0]`: `NV_PFAULT_FAULT_TYPE_*`.
    public static final Field FAULT_TYPE = new Field("FAULT_TYPE", 4, 0);
    /// `FAULT_INFO[11:8]`: `NV_PFAULT_ACCESS_TYPE_VIRT_*`.
    public static final Field FAULT_ACCESS = new Field("FAULT_ACCESS", 11, 8);
    /// `FAULT_INFO[19:16]`: which unit faulted (FAULT_CLIENT_*).
    public static final Field FAULT_CLIENT = new Field("FAULT_CLIENT", 19, 16);
    /// `FAULT_INFO[31]`: the fault fields are valid.
    public static final Field FAULT_VALID = Field.bit("FAULT_VALID", 31);

    // NV_PFAULT_FAULT_TYPE_* (dev_fault.h); the ones the GMMU model produces.
    public static final int FAULT_TYPE_PDE = 0x0;
    public static final int FAULT_TYPE_PDE_SIZE = 0x1;
    public static final int FAULT_TYPE_PTE = 0x2;
    public static final int FAULT_TYPE_VA_LIMIT_VIOLATION = 0x3;
    public static final int FAULT_TYPE_RO_VIOLATION = 0x6;
    public static final int FAULT_TYPE_UNSUPPORTED_APERTURE = 0xA;

    // NV_PFAULT_ACCESS_TYPE_VIRT_* (dev_fault.h).
    public static final int ACCESS_VIRT_READ = 0x0;
    public static final int ACCESS_VIRT_WRITE = 0x1;

    /// Fault client: the host (GPFIFO or pushbuffer fetch, host semaphore).
    public static final int FAULT_CLIENT_HOST = 0;
    /// Fault client: the copy engine (copy data or CE semaphore).
    public static final int FAULT_CLIENT_CE = 1;

}
