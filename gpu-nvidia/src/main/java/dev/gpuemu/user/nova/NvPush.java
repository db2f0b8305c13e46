package dev.gpuemu.user.nova;

import java.util.Arrays;

/// Builds copy-engine pushbuffers (what a userspace driver writes into a pushbuffer object):
/// every command sets all the state it uses, as nova-drm's submit checker requires.
///
/// Userspace carries its own copy of the class headers (`clc56f.h`, `clc6b5.h`), as Mesa's nvk
/// does: the constants and encoders below are that copy; `NvPushTest` checks them against the
/// shared register data the device model decodes with.
///
/// ## Thread safety
/// Not thread-safe.
public final class NvPush {
    /// The subchannel nova-core binds the copy class to (`NovaChannel.COPY_SUBCHANNEL`).
    public static final int COPY_SUBCHANNEL = 4;
    /// `AMPERE_DMA_COPY_A` (clc6b5.h).
    public static final int AMPERE_DMA_COPY_A = 0xC6B5;
    /// `NVC56F_SET_OBJECT`.
    public static final int SET_OBJECT = 0x0000;
    /// `NVC6B5_SET_SEMAPHORE_A` (then `_B`, `SET_SEMAPHORE_PAYLOAD`).
    public static final int SET_SEMAPHORE_A = 0x0240;
    /// `NVC6B5_LAUNCH_DMA`.
    public static final int LAUNCH_DMA = 0x0300;
    /// `NVC6B5_OFFSET_IN_UPPER` (then `_LOWER`, `OFFSET_OUT_UPPER`, `_LOWER`).
    public static final int OFFSET_IN_UPPER = 0x0400;
    /// `NVC6B5_LINE_LENGTH_IN`.
    public static final int LINE_LENGTH_IN = 0x0418;
    /// `LAUNCH_DMA` of a 1D pitch-to-pitch virtual copy, non-pipelined, flush enabled, one-word
    /// semaphore release, non-blocking (non-stall) interrupt.
    public static final int LAUNCH_COPY_1D_SEMAPHORE_INTERRUPT =
            2 /* DATA_TRANSFER_TYPE NON_PIPELINED */ | 1 << 2 /* FLUSH_ENABLE */
            | 1 << 3 /* SEMAPHORE_TYPE RELEASE_ONE_WORD */ | 2 << 5 /* INTERRUPT_TYPE NON_BLOCKING */
            | 1 << 7 /* SRC_MEMORY_LAYOUT PITCH */ | 1 << 8 /* DST_MEMORY_LAYOUT PITCH */;
    private int[] words = new int[64];
    private int n;

    private void add(int w) {
        if (n == words.length) {
            words = Arrays.copyOf(words, n * 2);
        }
        words[n++] = w;
    }

    /// An incrementing method header (`SEC_OP` INC_METHOD = 1, count, subchannel, method >> 2).
    public static int incrementing(int subchannel, int method, int count) {
        if (subchannel < 0 || subchannel > 7 || (method & 3) != 0 || method < 0 || method >= 0x4000
                || count < 0 || count > 0x1FFF) {
            throw new IllegalArgumentException("method header " + subchannel + "/" + method + "/" + count);
        }
        return 1 << 29 | count << 16 | subchannel << 13 | method >>> 2;
    }

    private NvPush inc(int method, int... data) {
        add(incrementing(COPY_SUBCHANNEL, method, data.length));
        for (int d : data) {
            add(d);
        }
        return this;
    }

    /// `SET_OBJECT AMPERE_DMA_COPY_A` on the copy subchannel.
    public NvPush setObject() {
        return inc(SET_OBJECT, AMPERE_DMA_COPY_A);
    }

    /// A 1D virtual copy of `bytes` from `src` to `dst`, then a one-word semaphore release of
    /// `payload` at `semaphore`, with the non-stall interrupt.
    public NvPush copy(long src, long dst, int bytes, long semaphore, int payload) {
        inc(OFFSET_IN_UPPER, (int) (src >>> 32), (int) src, (int) (dst >>> 32), (int) dst);
        inc(LINE_LENGTH_IN, bytes);
        inc(SET_SEMAPHORE_A, (int) (semaphore >>> 32), (int) semaphore, payload);
        return inc(LAUNCH_DMA, LAUNCH_COPY_1D_SEMAPHORE_INTERRUPT);
    }

    /// The dwords so far.
    public int[] words() {
        return Arrays.copyOf(words, n);
    }

    public int dwords() {
        return n;
    }
}
