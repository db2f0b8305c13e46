package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.Fcntl;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.uapi.UserMemory;
import dev.gpuemu.machine.pages.PagePattern;
import dev.gpuemu.user.panthor.KernelDesc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// The userspace layer, like an IGT test: everything goes through one process's [Syscalls] and
/// [UserMemory] and the uAPI layouts of `dev.gpuemu.kernel.uapi.drm` (this class is userspace and
/// imports nothing else of the kernel). The fill pattern is [PagePattern]'s arithmetic, which is
/// plain math shared with the page engine, not machine state.
///
/// A syscall without `expect` must succeed; with `expect ERRNO` it must fail with exactly that
/// errno (which counts as a passed check). Memory commands fault like a CPU: `SIGSEGV` or
/// `SIGBUS` fails the workload unless the command `expect`s that signal.
///
/// ## Thread safety
/// Workload threads share the process (like pthreads); each has its own argument page.
final class UserLayer {
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK = 32 * 1024;

    private final Interpreter run;
    private final Syscalls proc;

    UserLayer(Interpreter run, Syscalls proc) {
        this.run = run;
        this.proc = proc;
    }

    void open(Stmt.Open s, Frame f) {
        int rc = proc.open(s.path(), Fcntl.O_RDWR);
        if (result(s.pos(), "open " + s.path(), rc, s.expect())) {
            f.set(s.into(), rc);
        }
    }

    void close(Stmt.Close s, Frame f) {
        result(s.pos(), "close", proc.close(fd(s.fd(), f)), s.expect());
    }

    void dup(Stmt.Dup s, Frame f) {
        int rc = proc.dup(fd(s.fd(), f));
        if (result(s.pos(), "dup", rc, s.expect())) {
            f.set(s.into(), rc);
        }
    }

    void ioctl(Stmt.Ioctl s, Frame f) {
        StructLayout layout = s.ioctl().arg();
        long argp = 0;
        UserMemory mem = proc.memory();
        if (layout != null) {
            argp = scratch(s.pos(), f);
            mem.fill(argp, layout.byteSize(), (byte) 0);
            for (Stmt.FieldIn in : s.in()) {
                store(mem, argp, layout, in.field(), run.eval(in.value(), f), in.value().pos());
            }
        }
        int rc = proc.ioctl(fd(s.fd(), f), s.ioctl().cmd(), argp);
        result(s.pos(), s.ioctl().name(), rc, s.expect());
        for (Stmt.FieldOut out : s.out()) {
            f.set(out.into(), load(mem, argp, layout, out.field()));
        }
    }

    void alloc(Stmt.Alloc s, Frame f) {
        long va = proc.mmap(0, run.eval(s.length(), f), Fcntl.PROT_READ | Fcntl.PROT_WRITE,
                Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
        int rc = va < 0 && va > -4096 ? (int) va : 0;
        if (result(s.pos(), "mmap", rc, null)) {
            f.set(s.into(), va);
        }
    }

    /// `struct write|read`: the struct's fields at `ADDR` in user memory (a write zeroes the
    /// struct first, as `ioctl` does with its argument).
    void struct(Stmt.StructAccess s, Frame f) {
        StructLayout layout = s.struct().layout();
        long addr = run.eval(s.addr(), f);
        UserMemory mem = proc.memory();
        try {
            if (s.write()) {
                mem.fill(addr, layout.byteSize(), (byte) 0);
                for (Stmt.FieldIn in : s.in()) {
                    store(mem, addr, layout, in.field(), run.eval(in.value(), f), in.value().pos());
                }
            }
            for (Stmt.FieldOut out : s.out()) {
                f.set(out.into(), load(mem, addr, layout, out.field()));
            }
        } catch (UserFault e) {
            throw new CheckFailed(s.pos(), "struct " + s.struct().name() + " at 0x" + Long.toHexString(addr) + ": "
                    + e.getMessage());
        }
    }

    /// `kdesc`: the 64-byte `KernelDesc` at `ADDR`.
    void kdesc(Stmt.KDesc s, Frame f) {
        long[] a = new long[7];
        for (int i = 0; i < s.args().size(); i++) {
            a[i] = run.eval(s.args().get(i), f);
        }
        byte[] bytes = new KernelDesc(s.kernel(), a[0], a[1], a[2], a[3], a[4], a[5], a[6]).toBytes();
        long addr = run.eval(s.addr(), f);
        try {
            proc.memory().write(addr, MemorySegment.ofArray(bytes), 0, bytes.length);
        } catch (UserFault e) {
            throw new CheckFailed(s.pos(), "kdesc at 0x" + Long.toHexString(addr) + ": " + e.getMessage());
        }
    }

    void cs(Stmt.Cs s, Frame f) {
        byte[] bytes = CsAssembler.assemble(s.lines(), o -> run.eval(o, f)).toBytes();
        long addr = run.eval(s.addr(), f);
        try {
            proc.memory().write(addr, MemorySegment.ofArray(bytes), 0, bytes.length);
        } catch (UserFault e) {
            throw new CheckFailed(s.pos(), "cs at 0x" + Long.toHexString(addr) + ": " + e.getMessage());
        }
        if (s.into() != null) {
            f.set(s.into(), bytes.length);
        }
    }

    void mmap(Stmt.Mmap s, Frame f) {
        long len = run.eval(s.length(), f);
        long va = proc.mmap(0, len, Fcntl.PROT_READ | Fcntl.PROT_WRITE, Fcntl.MAP_SHARED, fd(s.fd(), f),
                run.eval(s.offset(), f));
        int rc = va < 0 && va > -4096 ? (int) va : 0;
        if (result(s.pos(), "mmap", rc, s.expect())) {
            f.set(s.into(), va);
        }
    }

    void munmap(Stmt.Munmap s, Frame f) {
        result(s.pos(), "munmap", proc.munmap(run.eval(s.addr(), f), run.eval(s.length(), f)), s.expect());
    }

    /// `fill` / `verify`: word at byte offset `o` from the start is `PagePattern.word(seed, o)`.
    void pattern(Stmt.Pattern s, Frame f) {
        long addr = run.eval(s.addr(), f);
        long len = run.eval(s.length(), f);
        long seed = s.seed() == null ? f.seed : run.eval(s.seed(), f);
        if (len <= 0 || len % 8 != 0) {
            throw new CheckFailed(s.length().pos(), "pattern length must be a positive multiple of 8, got " + len);
        }
        UserMemory mem = proc.memory();
        MemorySegment chunk = MemorySegment.ofArray(new byte[CHUNK]);
        try {
            for (long done = 0; done < len; done += CHUNK) {
                long n = Math.min(CHUNK, len - done);
                if (s.verify()) {
                    mem.read(addr + done, chunk, 0, n);
                    for (long o = 0; o < n; o += 8) {
                        long want = PagePattern.word(seed, done + o);
                        long got = chunk.get(LE_LONG, o);
                        if (got != want) {
                            throw new CheckFailed(s.pos(), String.format(
                                    "verify: mismatch at offset 0x%x (address 0x%x): expected 0x%016x, found 0x%016x (seed %d)",
                                    done + o, addr + done + o, want, got, seed));
                        }
                    }
                } else {
                    for (long o = 0; o < n; o += 8) {
                        chunk.set(LE_LONG, o, PagePattern.word(seed, done + o));
                    }
                    mem.write(addr + done, chunk, 0, n);
                }
            }
        } catch (UserFault fault) {
            faulted(s.pos(), s.verify() ? "verify" : "fill", fault, s.expect());
            return;
        }
        expectedNoFault(s.pos(), s.verify() ? "verify" : "fill", s.expect());
        if (s.verify()) {
            run.pass();
        }
    }

    void mem(Stmt.Mem s, Frame f) {
        long addr = run.eval(s.addr(), f);
        UserMemory mem = proc.memory();
        String what = "mem " + (s.write() ? "write" : "read") + (8 * s.bytes());
        try {
            if (s.write()) {
                long v = run.eval(s.value(), f);
                switch (s.bytes()) {
                    case 1 -> mem.putByte(addr, (byte) v);
                    case 4 -> mem.putInt(addr, (int) v);
                    default -> mem.putLong(addr, v);
                }
            } else {
                long v = switch (s.bytes()) {
                    case 1 -> Byte.toUnsignedLong(mem.getByte(addr));
                    case 4 -> Integer.toUnsignedLong(mem.getInt(addr));
                    default -> mem.getLong(addr);
                };
                expectedNoFault(s.pos(), what, s.expect());
                f.set(s.into(), v);
                return;
            }
        } catch (UserFault fault) {
            faulted(s.pos(), what, fault, s.expect());
            return;
        }
        expectedNoFault(s.pos(), what, s.expect());
    }

    private void faulted(Pos pos, String what, UserFault fault, UserFault.Signal expect) {
        if (expect != fault.signal()) {
            throw new CheckFailed(pos, what + ": " + fault.getMessage()
                    + (expect == null ? "" : " (expected " + expect + ")"));
        }
        run.pass();
    }

    private static void expectedNoFault(Pos pos, String what, UserFault.Signal expect) {
        if (expect != null) {
            throw new CheckFailed(pos, what + " completed, expected " + expect);
        }
    }

    /// Checks a syscall result against the expectation; returns true when it succeeded.
    private boolean result(Pos pos, String what, int rc, Errno expect) {
        if (expect == null) {
            if (rc < 0) {
                throw new CheckFailed(pos, what + " failed: " + errno(rc));
            }
            return true;
        }
        if (rc >= 0) {
            throw new CheckFailed(pos, what + " succeeded (" + rc + "), expected " + expect);
        }
        if (rc != expect.negative()) {
            throw new CheckFailed(pos, what + " failed with " + errno(rc) + ", expected " + expect);
        }
        run.pass();
        return false;
    }

    private static String errno(int rc) {
        Errno e = Errno.ofCode(rc);
        return e == null ? "errno " + (-rc) : e.name() + " (" + rc + ")";
    }

    private int fd(Operand o, Frame f) {
        long v = run.eval(o, f);
        if (v != (int) v) {
            throw new CheckFailed(o.pos(), "not a file descriptor: " + v);
        }
        return (int) v;
    }

    private long scratch(Pos pos, Frame f) {
        if (f.scratch == 0) {
            long va = proc.mmap(0, Fcntl.PAGE_SIZE, Fcntl.PROT_READ | Fcntl.PROT_WRITE,
                    Fcntl.MAP_PRIVATE | Fcntl.MAP_ANONYMOUS, -1, 0);
            if (va < 0 && va > -4096) {
                throw new CheckFailed(pos, "cannot map an ioctl argument page: " + errno((int) va));
            }
            f.scratch = va;
        }
        return f.scratch;
    }

    static void store(UserMemory mem, long base, StructLayout layout, String field, long v, Pos pos) {
        StructFields.Slot slot = StructFields.of(layout).get(field);
        long at = base + slot.offset();
        long bytes = slot.bytes();
        if (!StructFields.fits(v, bytes)) {
            throw new CheckFailed(pos, "value " + v + " does not fit the " + (8 * bytes) + "-bit field " + field);
        }
        for (long i = 0; i < bytes; i++) {
            mem.putByte(at + i, (byte) (v >>> (8 * i)));
        }
    }

    static long load(UserMemory mem, long base, StructLayout layout, String field) {
        StructFields.Slot slot = StructFields.of(layout).get(field);
        long at = base + slot.offset();
        long bytes = slot.bytes();
        long v = 0;
        for (long i = 0; i < bytes; i++) {
            v |= Byte.toUnsignedLong(mem.getByte(at + i)) << (8 * i);
        }
        return v;
    }
}
