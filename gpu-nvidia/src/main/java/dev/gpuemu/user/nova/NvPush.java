package dev.gpuemu.user.nova;

import dev.gpuemu.regs.nvidia.Clc56f;
import dev.gpuemu.regs.nvidia.Clc6b5;
import dev.gpuemu.regs.nvidia.PushbufferHeader;
import java.util.Arrays;

/// Builds copy-engine pushbuffers (what a userspace driver writes into a pushbuffer object) from
/// the shared encodings of `regs.nvidia`: every command sets all the state it uses, as nova-drm's
/// submit checker requires.
///
/// ## Thread safety
/// Not thread-safe.
public final class NvPush {
    /// The subchannel nova-core binds the copy class to (`NovaChannel.COPY_SUBCHANNEL`).
    public static final int COPY_SUBCHANNEL = 4;
    private int[] words = new int[64];
    private int n;

    private void add(int w) {
        if (n == words.length) {
            words = Arrays.copyOf(words, n * 2);
        }
        words[n++] = w;
    }

    private NvPush inc(int method, int... data) {
        add(PushbufferHeader.incrementing(COPY_SUBCHANNEL, method, data.length));
        for (int d : data) {
            add(d);
        }
        return this;
    }

    /// `SET_OBJECT AMPERE_DMA_COPY_A` on the copy subchannel.
    public NvPush setObject() {
        return inc(Clc56f.SET_OBJECT, Clc6b5.AMPERE_DMA_COPY_A);
    }

    /// A 1D virtual copy of `bytes` from `src` to `dst`, then a one-word semaphore release of
    /// `payload` at `semaphore`, with the non-stall interrupt.
    public NvPush copy(long src, long dst, int bytes, long semaphore, int payload) {
        inc(Clc6b5.OFFSET_IN_UPPER, (int) (src >>> 32), (int) src, (int) (dst >>> 32), (int) dst);
        inc(Clc6b5.LINE_LENGTH_IN, bytes);
        inc(Clc6b5.SET_SEMAPHORE_A, (int) (semaphore >>> 32), (int) semaphore, payload);
        return inc(Clc6b5.LAUNCH_DMA, Clc6b5.launchCopy(false, Clc6b5.SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE,
                Clc6b5.INTERRUPT_TYPE_NON_BLOCKING));
    }

    /// The dwords so far.
    public int[] words() {
        return Arrays.copyOf(words, n);
    }

    public int dwords() {
        return n;
    }
}
