package dev.gpuemu.workload;

import dev.gpuemu.board.Machine;
import dev.gpuemu.kernel.log.LogEntry;
import dev.gpuemu.kernel.uapi.Syscalls;
import dev.gpuemu.machine.time.Participant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/// Runs a parsed script against a booted machine: the structure commands here, the layers in
/// [DeviceLayer], [UserLayer] and [ControlLayer].
///
/// The first failed check of any thread stops the workload: that thread unwinds, every other
/// thread stops before its next statement, and every started thread is joined.
///
/// ## Thread safety
/// One interpreter per run. Workload threads share the counters (atomic), the message lists
/// (synchronized) and the stop flag (volatile).
///
/// ## Lifecycle
/// constructed → [#run] once.
final class Interpreter {
    /// How long (wall time) a join waits for a thread before the workload fails.
    static final Duration JOIN_LIMIT = Duration.ofSeconds(60);
    static final int LOG_TAIL = 20;

    final Machine machine;
    final Syscalls proc;
    private final Consumer<String> out;
    private final DeviceLayer device;
    private final UserLayer user;
    private final ControlLayer control;
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    Interpreter(Machine machine, Syscalls proc, Consumer<String> out) {
        this.machine = machine;
        this.proc = proc;
        this.out = out;
        this.device = new DeviceLayer(this, machine.kernel().hw(), machine.kernel().ioResources());
        this.user = new UserLayer(this, proc);
        this.control = new ControlLayer(this, machine.kernel());
    }

    WorkloadResult run(Script script, long seed) {
        Frame main = new Frame("main", Map.of(), seed);
        try (Participant _ = machine.clock().participate()) { // a userspace thread: see Participant
            block(script.body(), main);
        } catch (CheckFailed f) {
            record(f.pos(), f.getMessage());
        } catch (Stop s) {
            // another thread failed; it recorded why
        } catch (RuntimeException e) {
            record(main.at == null ? new Pos(script.file(), 1, 1) : main.at, "emulator error: " + e);
        }
        boolean ok = failed.get() == 0;
        List<String> tail = ok ? List.of()
                : machine.kernel().log().tail(LOG_TAIL).stream().map(LogEntry::format).toList();
        return new WorkloadResult(ok ? WorkloadResult.Status.PASSED : WorkloadResult.Status.FAILED, passed.get(),
                failed.get(), messages, output, tail, machine.clock().nowNs());
    }

    /// Runs a block; threads it started and did not join are joined at its end, also when it fails.
    void block(List<Stmt> body, Frame f) {
        Map<String, ThreadRun> started = new LinkedHashMap<>();
        try {
            for (Stmt s : body) {
                if (stopped) {
                    throw new Stop();
                }
                f.at = s.pos();
                exec(s, f, started);
            }
        } finally {
            for (ThreadRun t : started.values()) {
                t.join(f);
            }
        }
    }

    private void exec(Stmt stmt, Frame f, Map<String, ThreadRun> started) {
        switch (stmt) {
            case Stmt.Seed s -> f.seed = s.seed();
            case Stmt.Let s -> f.set(s.var(), s.op() == null ? eval(s.a(), f) : arith(s, eval(s.a(), f), eval(s.b(), f)));
            case Stmt.Assert s -> check(s, eval(s.a(), f), eval(s.b(), f));
            case Stmt.Print s -> print(s, f);
            case Stmt.Repeat s -> {
                long n = eval(s.count(), f);
                for (long i = 0; i < n; i++) {
                    if (s.indexVar() != null) {
                        f.set(s.indexVar(), i);
                    }
                    block(s.body(), f);
                }
            }
            case Stmt.Include s -> block(s.body(), f);
            case Stmt.Spawn s -> started.put(s.name(), new ThreadRun(s, new Frame(s.name(), f.vars, f.seed)));
            case Stmt.Join s -> started.remove(s.name()).join(f);
            case Stmt.Mmio s -> device.mmio(s, f);
            case Stmt.ClockStep s -> device.step(s, f);
            case Stmt.ClockSet s -> device.set(s, f);
            case Stmt.ClockNow s -> f.set(s.into(), machine.clock().nowNs());
            case Stmt.IrqExpect s -> device.irqExpect(s, f);
            case Stmt.IrqMask s -> device.irqMask(s, f);
            case Stmt.IrqCount s -> device.irqCount(s, f);
            case Stmt.Open s -> user.open(s, f);
            case Stmt.Close s -> user.close(s, f);
            case Stmt.Dup s -> user.dup(s, f);
            case Stmt.Ioctl s -> user.ioctl(s, f);
            case Stmt.Mmap s -> user.mmap(s, f);
            case Stmt.Munmap s -> user.munmap(s, f);
            case Stmt.Pattern s -> user.pattern(s, f);
            case Stmt.Mem s -> user.mem(s, f);
            case Stmt.Alloc s -> user.alloc(s, f);
            case Stmt.StructAccess s -> user.struct(s, f);
            case Stmt.KDesc s -> user.kdesc(s, f);
            case Stmt.Cs s -> user.cs(s, f);
            case Stmt.Bind s -> control.bind(s);
            case Stmt.DriverOverride s -> control.driverOverride(s);
            case Stmt.PciRemove s -> control.pciRemove(s);
            case Stmt.PciRescan s -> control.pciRescan(s, f);
            case Stmt.WaitBound s -> control.waitBound(s, f);
        }
    }

    long eval(Operand o, Frame f) {
        return switch (o) {
            case Operand.Lit l -> l.value();
            case Operand.Var v -> {
                Long value = f.vars.get(v.name());
                if (value == null) {
                    throw new CheckFailed(v.pos(), "variable $" + v.name() + " is not set here (thread " + f.thread + ")");
                }
                yield value;
            }
            case Operand.Sum s -> s.minus() ? eval(s.base(), f) - eval(s.term(), f) : eval(s.base(), f) + eval(s.term(), f);
        };
    }

    private long arith(Stmt.Let s, long a, long b) {
        if ((s.op().equals("/") || s.op().equals("%")) && b == 0) {
            throw new CheckFailed(s.b().pos(), "division by zero");
        }
        return switch (s.op()) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "%" -> a % b;
            case "&" -> a & b;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "<<" -> a << b;
            case ">>" -> a >>> b;
            default -> throw new IllegalStateException("operator " + s.op());
        };
    }

    private void check(Stmt.Assert s, long a, long b) {
        boolean holds = switch (s.op()) {
            case "==" -> a == b;
            case "!=" -> a != b;
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            case ">=" -> a >= b;
            default -> throw new IllegalStateException("comparison " + s.op());
        };
        if (!holds) {
            throw new CheckFailed(s.pos(), (s.message() == null ? "assertion failed" : s.message()) + ": "
                    + show(a) + " " + s.op() + " " + show(b) + " does not hold");
        }
        pass();
    }

    private void print(Stmt.Print s, Frame f) {
        StringBuilder sb = new StringBuilder();
        for (Object part : s.parts()) {
            sb.append(part instanceof Operand.Var v ? String.valueOf(eval(v, f)) : part);
        }
        String line = sb.toString();
        output.add(line);
        out.accept(line);
    }

    /// Decimal, with hex when that reads better.
    static String show(long v) {
        return v >= 0 && v < 10 ? Long.toString(v) : v + " (0x" + Long.toHexString(v) + ")";
    }

    void pass() {
        passed.incrementAndGet();
    }

    void record(Pos pos, String message) {
        failed.incrementAndGet();
        messages.add(pos.where() + ": " + message);
        stopped = true;
    }

    /// Unwinds a thread after another thread failed.
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /// One `thread` block running on its own Java thread.
    private final class ThreadRun {
        private final Stmt.Spawn spawn;
        private final Frame frame;
        private final Thread thread;

        ThreadRun(Stmt.Spawn spawn, Frame frame) {
            this.spawn = spawn;
            this.frame = frame;
            this.thread = Thread.ofPlatform().daemon().name("workload-" + spawn.name())
                    .start(() -> machine.clock().participating(this::body));
        }

        private void body() {
            try {
                block(spawn.body(), frame);
            } catch (CheckFailed f) {
                record(f.pos(), "thread " + spawn.name() + ": " + f.getMessage());
            } catch (Stop s) {
                // another thread failed first
            } catch (Throwable t) {
                record(frame.at == null ? spawn.pos() : frame.at, "thread " + spawn.name() + " died: " + t);
            }
        }

        void join(Frame joiner) {
            try {
                if (!thread.join(JOIN_LIMIT)) {
                    record(spawn.pos(), "thread " + spawn.name() + " did not finish within " + JOIN_LIMIT.toSeconds()
                            + " s of wall time");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                record(spawn.pos(), "interrupted while joining thread " + spawn.name());
                return;
            }
            joiner.merge(frame);
        }
    }
}
