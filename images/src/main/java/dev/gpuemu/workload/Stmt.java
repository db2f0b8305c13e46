package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.UserFault;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import dev.gpuemu.machine.bus.AccessSize;
import java.util.List;

/// One parsed statement. `into` names are variable names without `$`; a null `expect` means
/// "must succeed"; a null optional operand means "not given".
sealed interface Stmt {
    Pos pos();

    // ---- structure ---------------------------------------------------------------------------

    record Seed(Pos pos, long seed) implements Stmt {
    }

    /// `let $v = a` or `let $v = a OP b`; `op` is null for a plain copy.
    record Let(Pos pos, String var, Operand a, String op, Operand b) implements Stmt {
    }

    record Assert(Pos pos, Operand a, String op, Operand b, String message) implements Stmt {
    }

    /// `parts` holds `String`s and [Operand.Var]s.
    record Print(Pos pos, List<Object> parts) implements Stmt {
    }

    record Repeat(Pos pos, Operand count, String indexVar, List<Stmt> body) implements Stmt {
    }

    /// `thread NAME { ... }`: starts the body on a new Java thread of the same process.
    record Spawn(Pos pos, String name, List<Stmt> body) implements Stmt {
    }

    record Join(Pos pos, String name) implements Stmt {
    }

    /// An included file: runs as a block (threads it starts and does not join are joined at its end).
    record Include(Pos pos, List<Stmt> body) implements Stmt {
    }

    // ---- device layer ------------------------------------------------------------------------

    record Mmio(Pos pos, boolean write, AccessSize size, String region, Operand offset, Operand value, String into)
            implements Stmt {
    }

    record ClockStep(Pos pos, Operand ns) implements Stmt {
    }

    record ClockSet(Pos pos, Operand ns) implements Stmt {
    }

    record ClockNow(Pos pos, String into) implements Stmt {
    }

    /// `irq expect high|low LINE [within D]`; `within` null checks at once.
    record IrqExpect(Pos pos, boolean high, Operand line, Operand within) implements Stmt {
    }

    record IrqMask(Pos pos, boolean mask, Operand line) implements Stmt {
    }

    record IrqCount(Pos pos, Operand line, String into) implements Stmt {
    }

    // ---- userspace layer ---------------------------------------------------------------------

    record Open(Pos pos, String path, String into, Errno expect) implements Stmt {
    }

    record Close(Pos pos, Operand fd, Errno expect) implements Stmt {
    }

    record Dup(Pos pos, Operand fd, String into, Errno expect) implements Stmt {
    }

    record FieldIn(String field, Operand value) {
    }

    record FieldOut(String field, String into) {
    }

    record Ioctl(Pos pos, Operand fd, DrmIoctl ioctl, List<FieldIn> in, List<FieldOut> out, Errno expect)
            implements Stmt {
    }

    record Mmap(Pos pos, Operand fd, Operand offset, Operand length, String into, Errno expect) implements Stmt {
    }

    record Munmap(Pos pos, Operand addr, Operand length, Errno expect) implements Stmt {
    }

    /// `fill` (verify false) or `verify` of the seeded pattern; `seed` null uses the workload seed.
    record Pattern(Pos pos, boolean verify, Operand addr, Operand length, Operand seed, UserFault.Signal expect)
            implements Stmt {
    }

    /// `mem readN|writeN ADDR [VALUE]`; `bytes` is 1, 4 or 8.
    record Mem(Pos pos, boolean write, int bytes, Operand addr, Operand value, String into, UserFault.Signal expect)
            implements Stmt {
    }

    /// `alloc LENGTH -> $p`: an anonymous private read/write mapping.
    record Alloc(Pos pos, Operand length, String into) implements Stmt {
    }

    /// `struct write|read STRUCT ADDR ...`: fields of a uAPI struct in user memory.
    record StructAccess(Pos pos, boolean write, UapiStruct struct, Operand addr, List<FieldIn> in, List<FieldOut> out)
            implements Stmt {
    }

    /// `kdesc ADDR KERNEL ARGS...`: a built-in compute kernel descriptor (`KernelDesc`).
    record KDesc(Pos pos, Operand addr, int kernel, List<Operand> args) implements Stmt {
    }

    /// `cs ADDR [-> $bytes] { ... }`: assembled command-stream words written at `addr`; `into`
    /// (nullable) receives the stream's size in bytes.
    record Cs(Pos pos, Operand addr, List<CsAssembler.Line> lines, String into) implements Stmt {
    }

    // ---- control layer -----------------------------------------------------------------------

    record Bind(Pos pos, boolean bind, String bus, String driver, String device, Errno expect) implements Stmt {
    }

    record DriverOverride(Pos pos, String bus, String device, String value, Errno expect) implements Stmt {
    }

    record PciRemove(Pos pos, String bdf, Errno expect) implements Stmt {
    }

    record PciRescan(Pos pos, String into) implements Stmt {
    }

    /// `wait bound|unbound BUS DEVICE [within D]`.
    record WaitBound(Pos pos, boolean bound, String bus, String device, Operand within) implements Stmt {
    }
}
