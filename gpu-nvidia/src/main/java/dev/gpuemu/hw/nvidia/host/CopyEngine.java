package dev.gpuemu.hw.nvidia.host;

import static dev.gpuemu.regs.nvidia.Clc6b5.*;

import dev.gpuemu.hw.nvidia.mmu.Gmmu;
import dev.gpuemu.machine.time.SimClock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/// The `AMPERE_DMA_COPY_A` engine: method state updates, `LAUNCH_DMA` validation and cost
/// ([#plan]) and execution ([#execute]): pitch copies and constant fills moved in page-sized
/// chunks with `MemorySegment.copy` (VRAM) or the DMA port (system memory), then the semaphore.
///
/// ## Faults
/// Every page of every source and destination line is translated before the first byte moves
/// ([VmIo#probe]); a fault there writes nothing. A GMMU change made by the guest CPU between the
/// probe and the move, or a system-memory DMA the bus refuses, stops the copy at that chunk
/// (earlier chunks stay written). Overlapping source and destination ranges give undefined
/// results, as on hardware.
///
/// ## Thread safety
/// Not thread-safe: one instance per [NvHost], used under the device lock.
final class CopyEngine {
    static final int DONE = 0;
    static final int FAULT = 1;
    static final int BUS = 2;

    private static final int MAX_ELEMENT = 16;
    private static final long MAX_BYTES = 1L << 48;

    private final VmIo io;
    private final SimClock clock;
    private final MemorySegment scratch;
    private final MemorySegment pattern;
    private final byte[] element = new byte[MAX_ELEMENT];

    CopyEngine(VmIo io, SimClock clock) {
        this.io = io;
        this.clock = clock;
        Arena arena = Arena.ofAuto();
        this.scratch = arena.allocate(VmIo.PAGE);
        this.pattern = arena.allocate(VmIo.PAGE + MAX_ELEMENT);
    }

    /// Applies a method other than `LAUNCH_DMA`; false if the class has no such method.
    boolean method(Channel.CeState s, int method, int data) {
        switch (method) {
            case NOP, PM_TRIGGER, PM_TRIGGER_END -> { }
            case SET_SEMAPHORE_A -> s.semaphoreVa = (s.semaphoreVa & 0xFFFF_FFFFL) | (data & 0x1FFFFL) << 32;
            case SET_SEMAPHORE_B -> s.semaphoreVa = (s.semaphoreVa & ~0xFFFF_FFFFL) | (data & 0xFFFF_FFFFL);
            case SET_SEMAPHORE_PAYLOAD -> s.semaphorePayload = data;
            case SET_SRC_PHYS_MODE -> s.srcPhysMode = data;
            case SET_DST_PHYS_MODE -> s.dstPhysMode = data;
            case OFFSET_IN_UPPER -> s.offsetIn = (s.offsetIn & 0xFFFF_FFFFL) | (data & 0x1FFFFL) << 32;
            case OFFSET_IN_LOWER -> s.offsetIn = (s.offsetIn & ~0xFFFF_FFFFL) | (data & 0xFFFF_FFFFL);
            case OFFSET_OUT_UPPER -> s.offsetOut = (s.offsetOut & 0xFFFF_FFFFL) | (data & 0x1FFFFL) << 32;
            case OFFSET_OUT_LOWER -> s.offsetOut = (s.offsetOut & ~0xFFFF_FFFFL) | (data & 0xFFFF_FFFFL);
            case PITCH_IN -> s.pitchIn = data;
            case PITCH_OUT -> s.pitchOut = data;
            case LINE_LENGTH_IN -> s.lineLengthIn = data;
            case LINE_COUNT -> s.lineCount = data;
            case SET_REMAP_CONST_A -> s.remapConstA = data;
            case SET_REMAP_CONST_B -> s.remapConstB = data;
            case SET_REMAP_COMPONENTS -> s.remapComponents = data;
            default -> {
                return false;
            }
        }
        return true;
    }

    /// Validates `LAUNCH_DMA = launch` against the method state and returns its cost in
    /// simulated ns, or -1 for an invalid launch (see `Clc6b5`'s class comment).
    long plan(Channel.CeState s, int launch) {
        long l = launch & 0xFFFF_FFFFL;
        int semType = (int) SEMAPHORE_TYPE.get(l);
        if (SEMAPHORE_REDUCTION_ENABLE.isSet(l) || semType == SEMAPHORE_TYPE_RELEASE_CONDITIONAL_INTR_SEMAPHORE) {
            return -1;
        }
        if (semType == SEMAPHORE_TYPE_RELEASE_ONE_WORD_SEMAPHORE && (s.semaphoreVa & 3) != 0
                || semType == SEMAPHORE_TYPE_RELEASE_FOUR_WORD_SEMAPHORE && (s.semaphoreVa & 15) != 0) {
            return -1;
        }
        int transfer = (int) DATA_TRANSFER_TYPE.get(l);
        if (transfer == 3) {
            return -1;
        }
        long cost = NvHostTimings.LAUNCH_OVERHEAD_NS;
        if (transfer == DATA_TRANSFER_TYPE_NONE) {
            return cost;
        }
        boolean fill = REMAP_ENABLE.isSet(l);
        if (DST_MEMORY_LAYOUT.get(l) != MEMORY_LAYOUT_PITCH || !fill && SRC_MEMORY_LAYOUT.get(l) != MEMORY_LAYOUT_PITCH) {
            return -1; // block-linear: not modelled
        }
        boolean srcPhys = SRC_TYPE.get(l) == TYPE_PHYSICAL;
        boolean dstPhys = DST_TYPE.get(l) == TYPE_PHYSICAL;
        if (srcPhys && !fill && PHYS_MODE_TARGET.get(s.srcPhysMode) == PHYS_MODE_TARGET_PEERMEM
                || dstPhys && PHYS_MODE_TARGET.get(s.dstPhysMode) == PHYS_MODE_TARGET_PEERMEM) {
            return -1;
        }
        int elem = fill ? elementSize(s.remapComponents) : 1;
        if (elem < 0) {
            return -1;
        }
        long lines = MULTI_LINE_ENABLE.isSet(l) ? s.lineCount & 0xFFFF_FFFFL : 1;
        long total = (s.lineLengthIn & 0xFFFF_FFFFL) * elem * lines;
        if (total > MAX_BYTES || lines > MAX_BYTES) {
            return -1;
        }
        boolean srcSys = !fill && isSystem(s.offsetIn, srcPhys, s.srcPhysMode);
        boolean dstSys = isSystem(s.offsetOut, dstPhys, s.dstPhysMode);
        return cost + NvHostTimings.transferNs(total, NvHostTimings.rate(fill, srcSys, dstSys));
    }

    /// Runs a launch [#plan] accepted: moves the bytes, then releases the semaphore.
    ///
    /// @return [#DONE], [#FAULT] (GMMU fault in [VmIo#fault()]) or [#BUS]
    int execute(Channel.CeState s, int launch) {
        long l = launch & 0xFFFF_FFFFL;
        if (DATA_TRANSFER_TYPE.get(l) != DATA_TRANSFER_TYPE_NONE) {
            int r = transfer(s, l);
            if (r != DONE) {
                return r;
            }
        }
        return releaseSemaphore(s, (int) SEMAPHORE_TYPE.get(l));
    }

    private int transfer(Channel.CeState s, long l) {
        boolean fill = REMAP_ENABLE.isSet(l);
        boolean srcPhys = SRC_TYPE.get(l) == TYPE_PHYSICAL;
        boolean dstPhys = DST_TYPE.get(l) == TYPE_PHYSICAL;
        boolean srcSys = srcPhys && PHYS_MODE_TARGET.get(s.srcPhysMode) != PHYS_MODE_TARGET_LOCAL_FB;
        boolean dstSys = dstPhys && PHYS_MODE_TARGET.get(s.dstPhysMode) != PHYS_MODE_TARGET_LOCAL_FB;
        int elem = fill ? buildPattern(s) : 1;
        long len = (s.lineLengthIn & 0xFFFF_FFFFL) * elem;
        long lines = MULTI_LINE_ENABLE.isSet(l) ? s.lineCount & 0xFFFF_FFFFL : 1;
        long pitchIn = s.pitchIn & 0xFFFF_FFFFL;
        long pitchOut = s.pitchOut & 0xFFFF_FFFFL;
        // Pass 1: translate everything; nothing is written if any page faults.
        for (long i = 0; i < lines; i++) {
            if (!fill && !io.probe(s.offsetIn + i * pitchIn, len, srcPhys, srcSys, false)
                    || !io.probe(s.offsetOut + i * pitchOut, len, dstPhys, dstSys, true)) {
                return io.busError() ? BUS : FAULT;
            }
        }
        // Pass 2: move page-bounded chunks.
        for (long i = 0; i < lines; i++) {
            long src = s.offsetIn + i * pitchIn;
            long dst = s.offsetOut + i * pitchOut;
            for (long k = 0; k < len; ) {
                long n = Math.min(len - k, VmIo.toPageEnd(dst + k));
                if (!fill) {
                    n = Math.min(n, VmIo.toPageEnd(src + k));
                }
                long dpa = resolve(dst + k, n, dstPhys, dstSys, true);
                if (dpa == Gmmu.FAULT) {
                    return io.busError() ? BUS : FAULT;
                }
                if (fill) {
                    if (!writeFrom(pattern.asSlice(k % elem, n), dpa)) {
                        return BUS;
                    }
                } else {
                    long spa = resolve(src + k, n, srcPhys, srcSys, false);
                    if (spa == Gmmu.FAULT) {
                        return io.busError() ? BUS : FAULT;
                    }
                    if (!move(spa, dpa, n)) {
                        return BUS;
                    }
                }
                k += n;
            }
        }
        return DONE;
    }

    private long resolve(long addr, long n, boolean phys, boolean system, boolean write) {
        return phys ? io.physical(system, addr, n) : io.translate(addr, write);
    }

    private boolean move(long spa, long dpa, long n) {
        MemorySegment vram = io.vram();
        boolean ss = Gmmu.isSystem(spa);
        long sa = Gmmu.address(spa);
        if (!ss) {
            return writeFrom(vram.asSlice(sa, n), dpa);
        }
        if (!Gmmu.isSystem(dpa)) {
            return io.sysmem().read(sa, vram.asSlice(Gmmu.address(dpa), n));
        }
        MemorySegment bounce = scratch.asSlice(0, n);
        return io.sysmem().read(sa, bounce) && io.sysmem().write(Gmmu.address(dpa), bounce);
    }

    private boolean writeFrom(MemorySegment src, long dpa) {
        if (Gmmu.isSystem(dpa)) {
            return io.sysmem().write(Gmmu.address(dpa), src);
        }
        MemorySegment.copy(src, 0, io.vram(), Gmmu.address(dpa), src.byteSize());
        return true;
    }

    private int releaseSemaphore(Channel.CeState s, int type) {
        if (type == SEMAPHORE_TYPE_NONE) {
            return DONE;
        }
        long pa = io.translate(s.semaphoreVa, true);
        if (pa == Gmmu.FAULT) {
            return FAULT;
        }
        if (type == SEMAPHORE_TYPE_RELEASE_FOUR_WORD_SEMAPHORE) {
            // Timestamp and the reserved word first, the payload last: a reader that sees the
            // payload sees the rest.
            if (!io.write64(pa + 8, clock.nowNs()) || !io.write32(pa + 4, 0)) {
                return BUS;
            }
        }
        return io.write32(pa, s.semaphorePayload) ? DONE : BUS;
    }

    /// Bytes per element of a constant-fill remap, or -1 if the remap reads source components
    /// or leaves components unwritten.
    static int elementSize(int components) {
        long c = components & 0xFFFF_FFFFL;
        int size = (int) REMAP_COMPONENT_SIZE.get(c) + 1;
        int num = (int) REMAP_NUM_DST_COMPONENTS.get(c) + 1;
        for (int i = 0; i < num; i++) {
            int sel = (int) (c >>> (4 * i)) & 7;
            if (sel != REMAP_CONST_A && sel != REMAP_CONST_B) {
                return -1;
            }
        }
        return size * num;
    }

    /// Fills [#pattern] with the repeated element; returns the element size.
    private int buildPattern(Channel.CeState s) {
        long c = s.remapComponents & 0xFFFF_FFFFL;
        int size = (int) REMAP_COMPONENT_SIZE.get(c) + 1;
        int num = (int) REMAP_NUM_DST_COMPONENTS.get(c) + 1;
        for (int i = 0; i < num; i++) {
            int value = ((c >>> (4 * i)) & 7) == REMAP_CONST_A ? s.remapConstA : s.remapConstB;
            for (int b = 0; b < size; b++) {
                element[i * size + b] = (byte) (value >>> (8 * b));
            }
        }
        int elem = size * num;
        for (long i = 0; i < pattern.byteSize(); i++) {
            pattern.set(ValueLayout.JAVA_BYTE, i, element[(int) (i % elem)]);
        }
        return elem;
    }

    private boolean isSystem(long addr, boolean phys, int physMode) {
        if (phys) {
            return PHYS_MODE_TARGET.get(physMode) != PHYS_MODE_TARGET_LOCAL_FB;
        }
        long pa = io.translate(addr, false);
        return pa != Gmmu.FAULT && Gmmu.isSystem(pa);
    }
}
