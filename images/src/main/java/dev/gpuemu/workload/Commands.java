package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.machine.bus.AccessSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/// The simple (one-line) commands of the three layers and of the structure.
final class Commands {
    /// Every command name, for "unknown command" suggestions.
    static final List<String> NAMES = List.of("seed", "let", "assert", "print", "repeat", "thread", "join", "include",
            "mmio", "clock", "irq", "open", "close", "dup", "ioctl", "mmap", "munmap", "fill", "verify", "mem",
            "bind", "unbind", "driver_override", "pci", "wait", "alloc", "free", "struct", "kdesc", "cs");
    static final List<String> COMPARE = List.of("==", "!=", "<", "<=", ">", ">=");
    static final List<String> ARITH = List.of("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>");

    private Commands() {
    }

    static Stmt parse(Token cmd, LineReader r, IoctlRegistry ioctls) throws ScriptException {
        Pos p = cmd.pos();
        return switch (cmd.text()) {
            case "seed" -> {
                Token t = r.word("a seed");
                yield new Stmt.Seed(p, Numbers.parse(t.text(), t.pos()));
            }
            case "let" -> let(p, r);
            case "assert" -> assertion(p, r);
            case "print" -> print(p, r);
            case "mmio" -> mmio(p, r);
            case "clock" -> clock(p, r);
            case "irq" -> irq(p, r);
            case "open" -> {
                String path = r.text("a device path").text();
                yield new Stmt.Open(p, path, r.into(), r.expectErrno());
            }
            case "close" -> new Stmt.Close(p, r.operand("a file descriptor"), r.expectErrno());
            case "dup" -> new Stmt.Dup(p, r.operand("a file descriptor"), r.into(), r.expectErrno());
            case "ioctl" -> ioctl(p, r, ioctls);
            case "mmap" -> new Stmt.Mmap(p, r.operand("a file descriptor"), r.operand("an mmap offset"),
                    r.operand("a length"), r.into(), r.expectErrno());
            case "munmap" -> new Stmt.Munmap(p, r.operand("an address"), r.operand("a length"), r.expectErrno());
            case "fill", "verify" -> pattern(p, cmd.text().equals("verify"), r);
            case "mem" -> mem(p, r);
            case "bind", "unbind" -> new Stmt.Bind(p, cmd.text().equals("bind"), r.word("a bus name").text(),
                    r.word("a driver name").text(), r.text("a device name").text(), r.expectErrno());
            case "driver_override" -> new Stmt.DriverOverride(p, r.word("a bus name").text(),
                    r.text("a device name").text(), r.text("a driver name or \"\"").text(), r.expectErrno());
            case "pci" -> pci(p, r);
            case "alloc" -> new Stmt.Alloc(p, r.operand("a length"), r.into());
            case "free" -> new Stmt.Munmap(p, r.operand("an address"), r.operand("a length"), r.expectErrno());
            case "struct" -> GpuCommands.struct(p, r, ioctls);
            case "kdesc" -> GpuCommands.kdesc(p, r);
            case "wait" -> {
                boolean bound = r.choice("a state", "bound", "unbound").equals("bound");
                yield new Stmt.WaitBound(p, bound, r.word("a bus name").text(), r.text("a device name").text(),
                        r.within());
            }
            default -> throw new ScriptException(p, "unknown command '" + cmd.text() + "'"
                    + suggest(cmd.text(), NAMES).map(s -> " (did you mean '" + s + "'?)").orElse(""));
        };
    }

    private static Stmt let(Pos p, LineReader r) throws ScriptException {
        Token target = r.word("a variable");
        Token eq = r.word("'='");
        if (!eq.text().equals("=")) {
            throw new ScriptException(eq.pos(), "expected '=', found '" + eq.text() + "'");
        }
        Operand a = r.operand("a value");
        String op = null;
        Operand b = null;
        if (!r.atEnd()) {
            Token o = r.word("an operator");
            if (!ARITH.contains(o.text())) {
                throw new ScriptException(o.pos(), "unknown operator '" + o.text() + "' (one of " + String.join(" ", ARITH) + ")");
            }
            op = o.text();
            b = r.operand("a value");
        }
        return new Stmt.Let(p, r.target(target), a, op, b);
    }

    private static Stmt assertion(Pos p, LineReader r) throws ScriptException {
        Operand a = r.operand("a value");
        Token o = r.word("a comparison");
        if (!COMPARE.contains(o.text())) {
            throw new ScriptException(o.pos(), "unknown comparison '" + o.text() + "' (one of " + String.join(" ", COMPARE) + ")");
        }
        Operand b = r.operand("a value");
        String message = null;
        if (!r.atEnd()) {
            Token m = r.next("a message");
            if (m.kind() != Token.Kind.STRING) {
                throw new ScriptException(m.pos(), "expected a quoted message, found " + LineReader.describe(m));
            }
            message = m.text();
        }
        return new Stmt.Assert(p, a, o.text(), b, message);
    }

    /// `print "text $var text"`: variables inside the string are interpolated.
    private static Stmt print(Pos p, LineReader r) throws ScriptException {
        Token t = r.next("a quoted text");
        if (t.kind() != Token.Kind.STRING) {
            throw new ScriptException(t.pos(), "expected a quoted text, found " + LineReader.describe(t));
        }
        List<Object> parts = new ArrayList<>();
        var m = LineReader.VAR.matcher(t.text());
        int last = 0;
        while (m.find()) {
            parts.add(t.text().substring(last, m.start()));
            // +1 for the opening quote; escapes before the variable shift the column (rare, harmless)
            Pos vp = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + 1 + m.start());
            parts.add(r.var(m.group(), vp));
            last = m.end();
        }
        parts.add(t.text().substring(last));
        return new Stmt.Print(p, parts);
    }

    private static AccessSize size(Token t, String verb, boolean allow16) throws ScriptException {
        String s = t.text();
        String bits = s.startsWith(verb) ? s.substring(verb.length()) : "";
        int n = switch (bits) {
            case "8" -> 1;
            case "16" -> allow16 ? 2 : 0;
            case "32" -> 4;
            case "64" -> 8;
            default -> 0;
        };
        if (n == 0) {
            throw new ScriptException(t.pos(), "expected " + verb + "8, " + (allow16 ? verb + "16, " : "") + verb + "32 or "
                    + verb + "64, found '" + s + "'");
        }
        return AccessSize.ofBytes(n);
    }

    private static Stmt mmio(Pos p, LineReader r) throws ScriptException {
        Token op = r.word("read8/16/32/64 or write8/16/32/64");
        boolean write = op.text().startsWith("write");
        AccessSize size = size(op, write ? "write" : "read", true);
        String region = r.word("a region name").text();
        Operand offset = r.operand("an offset");
        if (write) {
            return new Stmt.Mmio(p, true, size, region, offset, r.operand("a value"), null);
        }
        return new Stmt.Mmio(p, false, size, region, offset, null, r.into());
    }

    private static Stmt clock(Pos p, LineReader r) throws ScriptException {
        return switch (r.choice("a clock operation", "step", "set", "now")) {
            case "step" -> new Stmt.ClockStep(p, r.duration("a duration such as 10us"));
            case "set" -> new Stmt.ClockSet(p, r.duration("a time such as 5ms"));
            default -> new Stmt.ClockNow(p, r.into());
        };
    }

    private static Stmt irq(Pos p, LineReader r) throws ScriptException {
        return switch (r.choice("an irq operation", "expect", "mask", "unmask", "count")) {
            case "expect" -> {
                boolean high = r.choice("a level", "high", "low").equals("high");
                yield new Stmt.IrqExpect(p, high, r.operand("an irq line"), r.within());
            }
            case "mask" -> new Stmt.IrqMask(p, true, r.operand("an irq line"));
            case "unmask" -> new Stmt.IrqMask(p, false, r.operand("an irq line"));
            default -> new Stmt.IrqCount(p, r.operand("an irq line"), r.into());
        };
    }

    private static Stmt pattern(Pos p, boolean verify, LineReader r) throws ScriptException {
        Operand addr = r.operand("an address");
        Operand len = r.operand("a length");
        if (len instanceof Operand.Lit l && (l.value() <= 0 || l.value() % 8 != 0)) {
            throw new ScriptException(l.pos(), "pattern length must be a positive multiple of 8, got " + l.value());
        }
        Operand seed = null;
        if (!r.atEnd() && !r.peekWord("expect")) {
            Token t = r.word("seed=N");
            if (!t.text().startsWith("seed=")) {
                throw new ScriptException(t.pos(), "expected seed=N, found '" + t.text() + "'");
            }
            seed = r.operand(new Token(Token.Kind.WORD, t.text().substring(5),
                    new Pos(t.pos().file(), t.pos().line(), t.pos().col() + 5)));
        }
        return new Stmt.Pattern(p, verify, addr, len, seed, r.expectSignal());
    }

    private static Stmt mem(Pos p, LineReader r) throws ScriptException {
        Token op = r.word("read8/32/64 or write8/32/64");
        boolean write = op.text().startsWith("write");
        int bytes = size(op, write ? "write" : "read", false).bytes();
        Operand addr = r.operand("an address");
        if (write) {
            return new Stmt.Mem(p, true, bytes, addr, r.operand("a value"), null, r.expectSignal());
        }
        return new Stmt.Mem(p, false, bytes, addr, null, r.into(), r.expectSignal());
    }

    private static Stmt pci(Pos p, LineReader r) throws ScriptException {
        if (r.choice("a pci operation", "remove", "rescan").equals("remove")) {
            return new Stmt.PciRemove(p, r.word("a PCI address such as 0000:00:04.0").text(), r.expectErrno());
        }
        return new Stmt.PciRescan(p, r.optionalInto());
    }

    private static Stmt ioctl(Pos p, LineReader r, IoctlRegistry ioctls) throws ScriptException {
        Operand fd = r.operand("a file descriptor");
        Token name = r.word("an ioctl name such as DRM_IOCTL_VERSION");
        DrmIoctl ioctl = ioctls.find(name.text()).orElseThrow(() -> new ScriptException(name.pos(),
                "unknown ioctl '" + name.text() + "'"
                        + suggest(name.text(), ioctls.names()).map(s -> " (did you mean '" + s + "'?)").orElse("")));
        List<Stmt.FieldIn> in = new ArrayList<>();
        List<Stmt.FieldOut> out = new ArrayList<>();
        while (!r.atEnd() && !r.peekWord("->") && !r.peekWord("expect")) {
            Token t = r.word("field=value");
            int eq = t.text().indexOf('=');
            if (eq <= 0) {
                throw new ScriptException(t.pos(), "expected field=value, found '" + t.text() + "'");
            }
            String field = field(ioctl, t.text().substring(0, eq), t.pos());
            Pos vp = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + eq + 1);
            Operand v = r.operand(new Token(Token.Kind.WORD, t.text().substring(eq + 1), vp));
            if (v instanceof Operand.Lit l) {
                checkFits(ioctl, field, l.value(), vp);
            }
            in.add(new Stmt.FieldIn(field, v));
        }
        if (r.peekWord("->")) {
            r.next("->");
            do {
                Token t = r.word("field=$variable");
                int eq = t.text().indexOf('=');
                if (eq <= 0) {
                    throw new ScriptException(t.pos(), "expected field=$variable, found '" + t.text() + "'");
                }
                String field = field(ioctl, t.text().substring(0, eq), t.pos());
                Pos vp = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + eq + 1);
                out.add(new Stmt.FieldOut(field, r.target(new Token(Token.Kind.WORD, t.text().substring(eq + 1), vp))));
            } while (!r.atEnd() && !r.peekWord("expect"));
        }
        return new Stmt.Ioctl(p, fd, ioctl, in, out, r.expectErrno());
    }

    /// The scalar fields of an ioctl's argument struct ([StructFields] names).
    static List<String> fields(DrmIoctl ioctl) {
        return ioctl.arg() == null ? List.of() : StructFields.names(ioctl.arg());
    }

    static String field(DrmIoctl ioctl, String name, Pos pos) throws ScriptException {
        List<String> fields = fields(ioctl);
        if (!fields.contains(name)) {
            String struct = ioctl.arg() == null ? "no argument" : ioctl.arg().name().orElse("its struct");
            throw new ScriptException(pos, "unknown field '" + name + "' of " + ioctl.name() + " (" + struct
                    + (fields.isEmpty() ? "" : ": " + String.join(", ", fields)) + ")");
        }
        return name;
    }

    private static void checkFits(DrmIoctl ioctl, String field, long v, Pos pos) throws ScriptException {
        long bytes = StructFields.of(ioctl.arg()).get(field).bytes();
        if (!StructFields.fits(v, bytes)) {
            throw new ScriptException(pos, "value " + v + " does not fit the " + (8 * bytes) + "-bit field " + field);
        }
    }

    /// The closest candidate within edit distance 2, if any.
    static Optional<String> suggest(String word, List<String> candidates) {
        return candidates.stream()
                .filter(c -> distance(word, c) <= Math.max(2, word.length() / 6))
                .min(Comparator.comparingInt(c -> distance(word, c)));
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
