package dev.gpuemu.regs.mali;

/// The CSF firmware interface in memory shared between the host and the MCU: byte offsets and
/// bits of the global (GLB), command-stream-group (CSG) and command-stream (CS) interfaces and
/// of a queue's ring-buffer pointers, as panthor_fw.h lays them out. All fields little-endian.
///
/// ## Where things are
/// The firmware image maps a **shared section** at MCU virtual address [#SHARED_REGION_START]
/// (in address space 0, the MCU's). At boot the firmware writes there:
/// - the GLB **control** block at offset 0 ([Glb]); its `input_va`/`output_va` are MCU VAs (also
///   inside the shared section) of the GLB input ([GlbIn], host writes) and output ([GlbOut],
///   firmware writes) pages;
/// - CSG `i`'s control block at [#GROUP_CONTROL_OFFSET] `+ i * group_stride` ([Csg]), with its
///   own input/output VAs ([CsgIn], [CsgOut]);
/// - CS `j` of CSG `i`: control block at CSG control `+` [#STREAM_CONTROL_OFFSET]
///   `+ j * stream_stride` ([Cs]), input/output VAs ([CsIn], [CsOut]).
///
/// ## Request/acknowledge protocol
/// Each side owns one word: the host writes `req` (input), the firmware writes `ack` (output).
/// - **Toggle bits** (e.g. `GLB_PING`, `CSG_STATUS_UPDATE`): the host flips `req` so it differs
///   from `ack`; the firmware handles the request and copies the bit into `ack`.
/// - **State fields** (`CSG_STATE`, `CS_STATE`): the host writes a value; the firmware copies it
///   into `ack` when the state is reached.
/// - **Events** (`*_EVT_MASK`, e.g. `CSG_SYNC_UPDATE`, `CS_FATAL`): the firmware flips `ack`; the
///   host acknowledges by copying the bit into `req`.
/// The host then rings a doorbell: CSG requests by toggling bit `i` of `GLB doorbell_req` and
/// ringing doorbell 0; CS requests by also toggling bit `j` of the CSG's `doorbell_req`. The
/// firmware raises `JOB_IRQ` bit `i` for CSG events (and `cs_irq_req` bit `j` toggled for CS
/// events), `JOB_IRQ_GLOBAL_IF` for GLB acks.
public final class CsfIface {
    private CsfIface() {
    }

    /// MCU VA of the shared interface section, and its maximum size.
    public static final long SHARED_REGION_START = 0x0400_0000L;
    public static final long SHARED_REGION_SIZE = 0x0400_0000L;
    public static final long GROUP_CONTROL_OFFSET = 0x1000;
    public static final long STREAM_CONTROL_OFFSET = 0x40;

    /// `CSF_IFACE_VERSION(major, minor, patch)`.
    public static int version(int major, int minor, int patch) {
        return major << 24 | minor << 16 | patch;
    }

    /// GLB control block (read-only to the host).
    public static final class Glb {
        private Glb() {
        }

        public static final int VERSION = 0x00;
        public static final int FEATURES = 0x04;
        public static final int INPUT_VA = 0x08;
        public static final int OUTPUT_VA = 0x0C;
        public static final int GROUP_NUM = 0x10;
        public static final int GROUP_STRIDE = 0x14;
        public static final int PERFCNT_SIZE = 0x18;
        public static final int INSTR_FEATURES = 0x1C;
    }

    /// GLB input page (host writes).
    public static final class GlbIn {
        private GlbIn() {
        }

        public static final int REQ = 0x00;
        public static final int ACK_IRQ_MASK = 0x04;
        public static final int DOORBELL_REQ = 0x08;
        public static final int PROGRESS_TIMER = 0x10;
        public static final int POWEROFF_TIMER = 0x14;
        public static final int CORE_EN_MASK = 0x18;
        public static final int PERFCNT_AS = 0x24;
        public static final int PERFCNT_BASE = 0x28;
        public static final int IDLE_TIMER = 0x80;

        public static final int GLB_HALT = 1;
        public static final int GLB_CFG_PROGRESS_TIMER = 1 << 1;
        public static final int GLB_CFG_ALLOC_EN = 1 << 2;
        public static final int GLB_CFG_POWEROFF_TIMER = 1 << 3;
        public static final int GLB_PROTM_ENTER = 1 << 4;
        public static final int GLB_PERFCNT_EN = 1 << 5;
        public static final int GLB_PERFCNT_SAMPLE = 1 << 6;
        public static final int GLB_COUNTER_EN = 1 << 7;
        public static final int GLB_PING = 1 << 8;
        public static final int GLB_FWCFG_UPDATE = 1 << 9;
        public static final int GLB_IDLE_EN = 1 << 10;
        public static final int GLB_SLEEP = 1 << 12;
        public static final int GLB_INACTIVE_COMPUTE = 1 << 20;
        public static final int GLB_INACTIVE_FRAGMENT = 1 << 21;
        public static final int GLB_INACTIVE_TILER = 1 << 22;
        public static final int GLB_PROTM_EXIT = 1 << 23;
        public static final int GLB_PERFCNT_THRESHOLD = 1 << 24;
        public static final int GLB_PERFCNT_OVERFLOW = 1 << 25;
        public static final int GLB_IDLE = 1 << 26;
        /// Toggle/state requests (bits 10:0).
        public static final int GLB_REQ_MASK = 0x7FF;
        /// Firmware events (bits 26:20).
        public static final int GLB_EVT_MASK = 0x07F0_0000;
    }

    /// GLB output page (firmware writes).
    public static final class GlbOut {
        private GlbOut() {
        }

        public static final int ACK = 0x00;
        public static final int DOORBELL_ACK = 0x08;
        public static final int HALT_STATUS = 0x10;
        public static final int PERFCNT_STATUS = 0x14;
        public static final int PERFCNT_INSERT = 0x18;

        public static final int HALT_OK = 0;
        public static final int HALT_ON_PANIC = 0x4E;
        public static final int HALT_ON_WATCHDOG_EXPIRATION = 0x4F;
    }

    /// CSG control block.
    public static final class Csg {
        private Csg() {
        }

        public static final int FEATURES = 0x00;
        public static final int INPUT_VA = 0x04;
        public static final int OUTPUT_VA = 0x08;
        public static final int SUSPEND_SIZE = 0x0C;
        public static final int PROTM_SUSPEND_SIZE = 0x10;
        public static final int STREAM_NUM = 0x14;
        public static final int STREAM_STRIDE = 0x18;
    }

    /// CSG input page (host writes).
    public static final class CsgIn {
        private CsgIn() {
        }

        public static final int REQ = 0x00;
        public static final int ACK_IRQ_MASK = 0x04;
        public static final int DOORBELL_REQ = 0x08;
        public static final int CS_IRQ_ACK = 0x0C;
        public static final int ALLOW_COMPUTE = 0x20;
        public static final int ALLOW_FRAGMENT = 0x28;
        public static final int ALLOW_OTHER = 0x30;
        public static final int ENDPOINT_REQ = 0x34;
        public static final int SUSPEND_BUF = 0x40;
        public static final int PROTM_SUSPEND_BUF = 0x48;
        /// `config`: the address space the group's streams run in.
        public static final int CONFIG = 0x50;
        public static final int ITER_TRACE_CONFIG = 0x54;

        public static final int CSG_STATE_MASK = 0x7;
        public static final int CSG_STATE_TERMINATE = 0;
        public static final int CSG_STATE_START = 1;
        public static final int CSG_STATE_SUSPEND = 2;
        public static final int CSG_STATE_RESUME = 3;
        public static final int CSG_ENDPOINT_CONFIG = 1 << 4;
        public static final int CSG_STATUS_UPDATE = 1 << 5;
        public static final int CSG_SYNC_UPDATE = 1 << 28;
        public static final int CSG_IDLE = 1 << 29;
        public static final int CSG_DOORBELL = 1 << 30;
        public static final int CSG_PROGRESS_TIMER_EVENT = 1 << 31;
        public static final int CSG_REQ_MASK = CSG_STATE_MASK | CSG_ENDPOINT_CONFIG | CSG_STATUS_UPDATE;
        public static final int CSG_EVT_MASK = CSG_SYNC_UPDATE | CSG_IDLE | CSG_PROGRESS_TIMER_EVENT;

        /// `endpoint_req[31:28]`: the group's priority.
        public static final int EP_REQ_PRIORITY_SHIFT = 28;
    }

    /// CSG output page (firmware writes).
    public static final class CsgOut {
        private CsgOut() {
        }

        public static final int ACK = 0x00;
        public static final int DOORBELL_ACK = 0x08;
        public static final int CS_IRQ_REQ = 0x0C;
        public static final int STATUS_ENDPOINT_CURRENT = 0x10;
        public static final int STATUS_ENDPOINT_REQ = 0x14;
        public static final int STATUS_STATE = 0x18;
        public static final int RESOURCE_DEP = 0x1C;

        public static final int STATUS_STATE_IS_IDLE = 1;
    }

    /// CS control block.
    public static final class Cs {
        private Cs() {
        }

        public static final int FEATURES = 0x00;
        public static final int INPUT_VA = 0x04;
        public static final int OUTPUT_VA = 0x08;

        /// `features[7:0]`: work registers - 1; `[15:8]`: scoreboards; bit 16 compute.
        public static final int FEATURES_COMPUTE = 1 << 16;
        public static final int FEATURES_FRAGMENT = 1 << 17;
        public static final int FEATURES_TILER = 1 << 18;

        /// Work registers of a stream with `features`.
        public static int workRegs(int features) {
            return (features & 0xFF) + 1;
        }

        /// Scoreboard slots of a stream with `features`.
        public static int scoreboards(int features) {
            return (features >>> 8) & 0xFF;
        }
    }

    /// CS input page (host writes).
    public static final class CsIn {
        private CsIn() {
        }

        public static final int REQ = 0x00;
        public static final int CONFIG = 0x04;
        public static final int ACK_IRQ_MASK = 0x0C;
        /// GPU VA (in the group's address space) of the ring buffer.
        public static final int RINGBUF_BASE = 0x10;
        public static final int RINGBUF_SIZE = 0x18;
        public static final int HEAP_START = 0x20;
        public static final int HEAP_END = 0x28;
        /// MCU VAs of the queue's [Ring] input and output pages.
        public static final int RINGBUF_INPUT = 0x30;
        public static final int RINGBUF_OUTPUT = 0x38;
        public static final int INSTR_CONFIG = 0x40;
        public static final int INSTRBUF_SIZE = 0x44;
        public static final int INSTRBUF_BASE = 0x48;
        public static final int INSTRBUF_OFFSET_PTR = 0x50;

        public static final int CS_STATE_MASK = 0x7;
        public static final int CS_STATE_STOP = 0;
        public static final int CS_STATE_START = 1;
        public static final int CS_EXTRACT_EVENT = 1 << 4;
        public static final int CS_IDLE_SYNC_WAIT = 1 << 8;
        public static final int CS_IDLE_PROTM_PENDING = 1 << 9;
        public static final int CS_IDLE_EMPTY = 1 << 10;
        public static final int CS_IDLE_RESOURCE_REQ = 1 << 11;
        public static final int CS_TILER_OOM = 1 << 26;
        public static final int CS_PROTM_PENDING = 1 << 27;
        public static final int CS_FATAL = 1 << 30;
        public static final int CS_FAULT = 1 << 31;
        public static final int CS_REQ_MASK = CS_STATE_MASK | CS_EXTRACT_EVENT | CS_IDLE_SYNC_WAIT
                | CS_IDLE_PROTM_PENDING | CS_IDLE_EMPTY | CS_IDLE_RESOURCE_REQ;
        public static final int CS_EVT_MASK = CS_TILER_OOM | CS_PROTM_PENDING | CS_FATAL | CS_FAULT;

        /// `config[3:0]`: priority; `config[15:8]`: the doorbell that wakes this stream.
        public static int config(int priority, int doorbell) {
            return (priority & 0xF) | (doorbell & 0xFF) << 8;
        }

        /// The doorbell of a stream with `config`.
        public static int doorbell(int config) {
            return (config >>> 8) & 0xFF;
        }
    }

    /// CS output page (firmware writes).
    public static final class CsOut {
        private CsOut() {
        }

        public static final int ACK = 0x00;
        /// GPU VA of the instruction being executed (or next to execute when blocked).
        public static final int STATUS_CMD_PTR = 0x40;
        public static final int STATUS_WAIT = 0x48;
        public static final int STATUS_REQ_RESOURCE = 0x4C;
        public static final int STATUS_WAIT_SYNC_PTR = 0x50;
        public static final int STATUS_WAIT_SYNC_VALUE = 0x58;
        public static final int STATUS_SCOREBOARDS = 0x5C;
        public static final int STATUS_BLOCKED_REASON = 0x60;
        public static final int STATUS_WAIT_SYNC_VALUE_HI = 0x64;
        /// `fault`/`fatal`: exception type [7:0] and data [31:8]; `*_info`: e.g. the faulting VA.
        public static final int FAULT = 0x80;
        public static final int FATAL = 0x84;
        public static final int FAULT_INFO = 0x88;
        public static final int FATAL_INFO = 0x90;
        public static final int HEAP_ADDRESS = 0xD0;

        public static final int STATUS_WAIT_SYNC_COND_GT = 1 << 24;
        public static final int STATUS_WAIT_SYNC_64B = 1 << 30;
        public static final int STATUS_WAIT_SYNC = 1 << 31;
        public static final int BLOCKED_UNBLOCKED = 0;
        public static final int BLOCKED_SB_WAIT = 1;
        public static final int BLOCKED_PROGRESS_WAIT = 2;
        public static final int BLOCKED_SYNC_WAIT = 3;
        public static final int BLOCKED_DEFERRED = 4;
        public static final int BLOCKED_RESOURCE = 5;
        public static final int BLOCKED_FLUSH = 6;
    }

    /// A queue's ring-buffer pointer pages (in MCU memory: input at +0, output at +4 KiB).
    /// `insert` and `extract` are byte counts that only grow; the instruction at count `n` is at
    /// `ringbuf_base + n % ringbuf_size`.
    public static final class Ring {
        private Ring() {
        }

        /// Input page: `insert` (host writes), `extract` (host's copy).
        public static final int IN_INSERT = 0x00;
        public static final int IN_EXTRACT = 0x08;
        /// Output page: `extract` (firmware writes: bytes consumed), `active`.
        public static final int OUT_EXTRACT = 0x00;
        public static final int OUT_ACTIVE = 0x08;
        /// Offset of the output page from the input page.
        public static final long OUTPUT_PAGE_OFFSET = 0x1000;
    }
}
