package dev.gpuemu.kernel.drivers.nova.drm;

import dev.gpuemu.kernel.KernelException;
import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.nova.NovaGpuemu;
import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.PushbufferHeader;

/// The submit command checker (like i915's command parser on a shadow batch): walks the kernel's
/// private copy of a user pushbuffer and refuses, with `EINVAL`, anything that could reach memory
/// outside the user VA range `[0, NOVA_GPUEMU_VA_END)` or name a physical address. The GA102 model
/// treats every channel as privileged (PHYSICAL copies, any VA of the VM), so this is what keeps
/// userspace away from physical memory and from the kernel's GPFIFO, semaphores and shadow
/// pushbuffers mapped above `NOVA_GPUEMU_VA_END`.
///
/// Rules (every submit starts from *unknown* method state: values left by earlier submits are
/// never trusted):
/// - headers: INC, NON_INC, IMMD, ONE_INC, END_PB_SEGMENT, NOP and the group-0 TERT_OP forms;
///   SEC_OP 2 and 6, and method data past the end, are `EINVAL`;
/// - `LAUNCH_DMA` (0x300, any subchannel): SRC_TYPE and DST_TYPE must be VIRTUAL; the addresses,
///   line length (and for multi-line: count and pitches; for a fill the remap components) must
///   have been written earlier in the same pushbuffer; the source and destination extents, and the
///   semaphore (16 bytes) when one is released, must end at or below `NOVA_GPUEMU_VA_END`;
/// - host `SEM_EXECUTE`: `SEM_ADDR_LO/HI` written earlier in the same pushbuffer, 16 bytes below
///   the end of the user range.
///
/// ## Thread safety
/// Single-use, confined to the submitting thread.
final class PushbufferChecker {
    static final long VA_END = NovaGpuemu.NOVA_GPUEMU_VA_END;
    private static final int N = 0x800 / 4;
    /// Copy-class method values by dword index (subchannel-agnostic: any subchannel may hold the
    /// copy class), valid where `set` is true.
    private final int[] value = new int[N];
    private final boolean[] set = new boolean[N];
    private int semAddrLo;
    private int semAddrHi;
    private boolean semLoSet;
    private boolean semHiSet;

    private PushbufferChecker() {
    }

    /// Checks `dwords` words read by `words`; throws `EINVAL` naming the first offending dword.
    static void check(IntReader words, int dwords) throws KernelException {
        new PushbufferChecker().run(words, dwords);
    }

    /// Dword source (the shadow copy).
    @FunctionalInterface
    interface IntReader {
        int get(int index);
    }

    private void run(IntReader words, int dwords) throws KernelException {
        int i = 0;
        while (i < dwords) {
            int h = words.get(i);
            int at = i++;
            if (h == PushbufferHeader.NOP) {
                continue;
            }
            int op = PushbufferHeader.secOp(h);
            int method = PushbufferHeader.method(h);
            switch (op) {
                case PushbufferHeader.SEC_OP_GRP0_USE_TERT -> {
                    if (PushbufferHeader.tertOp(h) == 0) {
                        throw bad(at, "legacy method header");
                    }
                }
                case PushbufferHeader.SEC_OP_INC_METHOD, PushbufferHeader.SEC_OP_NON_INC_METHOD,
                     PushbufferHeader.SEC_OP_ONE_INC -> {
                    int count = PushbufferHeader.count(h);
                    if (count > dwords - i) {
                        throw bad(at, "method data past the end of the pushbuffer");
                    }
                    for (int k = 0; k < count; k++) {
                        int m = switch (op) {
                            case PushbufferHeader.SEC_OP_INC_METHOD -> method + 4 * k;
                            case PushbufferHeader.SEC_OP_NON_INC_METHOD -> method;
                            default -> k == 0 ? method : method + 4;
                        };
                        write(m, words.get(i + k), i + k);
                    }
                    i += count;
                }
                case PushbufferHeader.SEC_OP_IMMD_DATA_METHOD -> write(method, (int) PushbufferHeader.IMMD_DATA.get(h), at);
                case PushbufferHeader.SEC_OP_END_PB_SEGMENT -> {
                    return;
                }
                default -> throw bad(at, "reserved method header form " + op);
            }
        }
    }

    private void write(int method, int data, int at) throws KernelException {
        if (method < Clc56f.HOST_METHOD_LIMIT) {
            switch (method) {
                case Clc56f.SEM_ADDR_LO -> {
                    semAddrLo = data;
                    semLoSet = true;
                }
                case Clc56f.SEM_ADDR_HI -> {
                    semAddrHi = data;
                    semHiSet = true;
                }
                case Clc56f.SEM_EXECUTE -> {
                    if (!semLoSet || !semHiSet) {
                        throw bad(at, "SEM_EXECUTE without SEM_ADDR_LO/HI in this pushbuffer");
                    }
                    long addr = Integer.toUnsignedLong(semAddrHi) << 32 | Integer.toUnsignedLong(semAddrLo);
                    within(addr, 16, at, "host semaphore");
                }
                default -> {
                }
            }
            return;
        }
        if (method >= 0x800) {
            return; // no copy-class method there: the device rejects it as an invalid method
        }
        if (method == Clc6b5.LAUNCH_DMA) {
            launch(data, at);
            return;
        }
        value[method / 4] = data;
        set[method / 4] = true;
    }

    private void launch(int l, int at) throws KernelException {
        if (Clc6b5.SRC_TYPE.get(l) != Clc6b5.TYPE_VIRTUAL || Clc6b5.DST_TYPE.get(l) != Clc6b5.TYPE_VIRTUAL) {
            throw bad(at, "LAUNCH_DMA with a PHYSICAL source or destination");
        }
        if (Clc6b5.DATA_TRANSFER_TYPE.get(l) != Clc6b5.DATA_TRANSFER_TYPE_NONE) {
            boolean multi = Clc6b5.MULTI_LINE_ENABLE.isSet(l);
            boolean remap = Clc6b5.REMAP_ENABLE.isSet(l);
            long len = Integer.toUnsignedLong(need(Clc6b5.LINE_LENGTH_IN, at));
            long lines = multi ? Integer.toUnsignedLong(need(Clc6b5.LINE_COUNT, at)) : 1;
            long elem = 1;
            if (remap) {
                int comps = need(Clc6b5.SET_REMAP_COMPONENTS, at);
                elem = (Clc6b5.REMAP_NUM_DST_COMPONENTS.get(comps) + 1) * (Clc6b5.REMAP_COMPONENT_SIZE.get(comps) + 1);
            }
            long out = addr(Clc6b5.OFFSET_OUT_UPPER, Clc6b5.OFFSET_OUT_LOWER, at);
            long pitchOut = multi ? Integer.toUnsignedLong(need(Clc6b5.PITCH_OUT, at)) : 0;
            extent(out, pitchOut, lines, len * elem, at, "copy destination");
            if (!remap) {
                long in = addr(Clc6b5.OFFSET_IN_UPPER, Clc6b5.OFFSET_IN_LOWER, at);
                long pitchIn = multi ? Integer.toUnsignedLong(need(Clc6b5.PITCH_IN, at)) : 0;
                extent(in, pitchIn, lines, len, at, "copy source");
            }
        }
        if (Clc6b5.SEMAPHORE_TYPE.get(l) != Clc6b5.SEMAPHORE_TYPE_NONE) {
            long sem = Integer.toUnsignedLong(need(Clc6b5.SET_SEMAPHORE_A, at)) << 32
                    | Integer.toUnsignedLong(need(Clc6b5.SET_SEMAPHORE_B, at));
            within(sem, 16, at, "copy semaphore");
        }
    }

    private int need(int method, int at) throws KernelException {
        if (!set[method / 4]) {
            throw bad(at, "LAUNCH_DMA before method 0x" + Integer.toHexString(method) + " in this pushbuffer");
        }
        return value[method / 4];
    }

    private long addr(int upper, int lower, int at) throws KernelException {
        return Integer.toUnsignedLong(need(upper, at)) << 32 | Integer.toUnsignedLong(need(lower, at));
    }

    /// `lines` lines of `bytes` bytes, `pitch` apart, from `base`: the last byte must be below the end.
    private static void extent(long base, long pitch, long lines, long bytes, int at, String what)
            throws KernelException {
        if (lines == 0 || bytes == 0) {
            return;
        }
        try {
            long span = Math.addExact(Math.multiplyExact(pitch, lines - 1), bytes);
            within(base, span, at, what);
        } catch (ArithmeticException e) {
            throw bad(at, what + " extent overflows");
        }
    }

    private static void within(long base, long bytes, int at, String what) throws KernelException {
        if (base < 0 || bytes > VA_END || base > VA_END - bytes) {
            throw bad(at, what + " 0x" + Long.toHexString(base) + "+0x" + Long.toHexString(bytes)
                    + " outside the user VA range");
        }
    }

    private static KernelException bad(int dword, String why) {
        return new KernelException(Errno.EINVAL, "pushbuffer dword " + dword + ": " + why);
    }
}
