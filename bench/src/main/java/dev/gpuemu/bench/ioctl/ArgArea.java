package dev.gpuemu.bench.ioctl;

import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.function.Consumer;

/// One thread's argument memory: an anonymous page in the process, carved into 64-byte-aligned
/// slots at setup, each holding an ioctl struct (written with the uAPI `VarHandle`s) or an array
/// it points to. The measured ops then pass the slots' user addresses and touch single fields.
///
/// ## Invariants
/// `base` is a live anonymous mapping of [#BYTES] bytes until [#close]; slots never overlap.
///
/// ## Thread safety
/// Setup ([#slot], [#put]) on one thread; the memory is then used by the thread owning the ops.
///
/// ## Lifecycle
/// [#map] → slots → [#close] once (munmap).
final class ArgArea implements AutoCloseable {
    static final int BYTES = Fcntl.PAGE_SIZE;
    private final Syscalls proc;
    private final UserMemory mem;
    private final long base;
    private long next;
    private boolean closed;

    private ArgArea(Syscalls proc, long base) {
        this.proc = proc;
        this.mem = proc.memory();
        this.base = base;
        this.next = base;
    }

    static ArgArea map(Syscalls proc) {
        long va = proc.mmap(0, BYTES, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        if (va < 0 && va > -4096) {
            throw new IllegalStateException("bench: anonymous mmap failed: " + va);
        }
        return new ArgArea(proc, va);
    }

    UserMemory mem() {
        return mem;
    }

    /// A zeroed slot of `bytes` (rounded up to 64).
    long slot(long bytes) {
        long at = next;
        next += (bytes + 63) & -64L;
        if (next > base + BYTES) {
            throw new IllegalStateException("bench argument area full");
        }
        mem.fill(at, bytes, (byte) 0);
        return at;
    }

    /// A slot holding `layout` as `fill` sets it up.
    long put(StructLayout layout, Consumer<MemorySegment> fill) {
        long va = slot(layout.byteSize());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(layout);
            fill.accept(s);
            mem.write(va, s, 0, s.byteSize());
        }
        return va;
    }

    @Override
    public void close() {
        if (closed) {
            throw new IllegalStateException("argument area already closed");
        }
        closed = true;
        proc.munmap(base, BYTES);
    }
}
