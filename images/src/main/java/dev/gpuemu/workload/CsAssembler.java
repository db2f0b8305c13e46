package dev.gpuemu.workload;

import dev.gpuemu.user.panthor.CsBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/// The `cs ADDR [-> $bytes] { ... }` block: a small assembler for the modelled subset of Mali CSF
/// command-stream instructions (docs/workloads.md, "Command streams"), one instruction per line.
/// Registers are written `r0`..`r95` (32-bit) and `d0`..`d94` (64-bit pairs, even); conditions
/// `lequal greater equal nequal less gequal always`; immediates are any operand (`$gpu+0x1000`).
///
/// Operands that are literals are checked when the script is parsed (by encoding the line once);
/// operands with variables are checked when the block runs, with the line's position.
///
/// ## Thread safety
/// Stateless; parse results are immutable.
final class CsAssembler {
    /// What an argument of an instruction is.
    enum Arg { R, D, IMM, COND, SPD, MODE, STATE, FLAG }

    /// The mnemonics, their arguments (a trailing `FLAG` is optional) and encodings.
    enum Op {
        NOP, MOVE48(Arg.D, Arg.IMM), MOVE32(Arg.R, Arg.IMM), ADD_IMM32(Arg.R, Arg.R, Arg.IMM),
        ADD_IMM64(Arg.D, Arg.D, Arg.IMM), LOAD_MULTIPLE(Arg.R, Arg.D, Arg.IMM, Arg.IMM),
        STORE_MULTIPLE(Arg.R, Arg.D, Arg.IMM, Arg.IMM), WAIT(Arg.IMM), RUN_COMPUTE(Arg.SPD),
        FLUSH_CACHE2(Arg.MODE, Arg.MODE, Arg.MODE, Arg.R), SYNC_ADD32(Arg.D, Arg.R, Arg.FLAG),
        SYNC_ADD64(Arg.D, Arg.D, Arg.FLAG), SYNC_SET32(Arg.D, Arg.R, Arg.FLAG), SYNC_SET64(Arg.D, Arg.D, Arg.FLAG),
        SYNC_WAIT32(Arg.COND, Arg.D, Arg.R), SYNC_WAIT64(Arg.COND, Arg.D, Arg.D),
        STORE_STATE(Arg.D, Arg.IMM, Arg.STATE), BRANCH(Arg.COND, Arg.R, Arg.IMM), CALL(Arg.D, Arg.R),
        JUMP(Arg.D, Arg.R), SET_SB_ENTRY, REQ_RESOURCE, ERROR_BARRIER, TRACE_POINT, WORD(Arg.IMM);

        final List<Arg> args;

        Op(Arg... args) {
            this.args = List.of(args);
        }

        String mnemonic() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final List<String> CONDITIONS = List.of("lequal", "greater", "equal", "nequal", "less", "gequal", "always");
    static final List<String> FLUSH_MODES = List.of("none", "clean", "invalidate", "clean_invalidate");
    static final List<String> STATES = List.of("timestamp", "cycle_count");

    /// One assembled line: the operation, its arguments either fixed at parse time (`fixed[i]`)
    /// or an operand evaluated at run time (`dynamic[i] != null`).
    record Line(Pos pos, Op op, long[] fixed, Operand[] dynamic) {
        boolean isStatic() {
            return Arrays.stream(dynamic).allMatch(d -> d == null);
        }
    }

    private CsAssembler() {
    }

    /// Parses one instruction line (`tokens` non-empty, first a word).
    static Line line(List<Token> tokens, Pos end, LineReader.Scope scope) throws ScriptException {
        Token mn = tokens.getFirst();
        Op op = Arrays.stream(Op.values()).filter(o -> o.mnemonic().equals(mn.text())).findFirst()
                .orElseThrow(() -> new ScriptException(mn.pos(), "unknown command-stream instruction '" + mn.text()
                        + "'" + Commands.suggest(mn.text(), Arrays.stream(Op.values()).map(Op::mnemonic).toList())
                        .map(x -> " (did you mean '" + x + "'?)").orElse("")));
        LineReader r = new LineReader(tokens.subList(1, tokens.size()), end, scope);
        int n = op.args.size();
        long[] fixed = new long[n];
        Operand[] dynamic = new Operand[n];
        for (int i = 0; i < n; i++) {
            Arg a = op.args.get(i);
            if (a == Arg.FLAG) {
                if (!r.atEnd()) {
                    r.choice("'error_propagate'", "error_propagate");
                    fixed[i] = 1;
                }
                continue;
            }
            Token t = r.word(describe(a) + " (operand " + (i + 1) + " of " + op.mnemonic() + ")");
            switch (a) {
                case R -> fixed[i] = register(t, 'r');
                case D -> fixed[i] = register(t, 'd');
                case COND -> fixed[i] = pick(t, CONDITIONS, "a condition");
                case MODE -> fixed[i] = pick(t, FLUSH_MODES, "a flush mode");
                case STATE -> fixed[i] = pick(t, STATES, "a state");
                case SPD -> fixed[i] = spd(t);
                case IMM -> {
                    Operand o = r.operand(t);
                    if (o instanceof Operand.Lit l) {
                        fixed[i] = l.value();
                    } else {
                        dynamic[i] = o;
                    }
                }
                case FLAG -> throw new AssertionError();
            }
        }
        r.done();
        Line line = new Line(mn.pos(), op, fixed, dynamic);
        if (line.isStatic()) {
            try {
                encode(new CsBuilder(), op, fixed);
            } catch (IllegalArgumentException e) {
                throw new ScriptException(mn.pos(), op.mnemonic() + ": " + e.getMessage());
            }
        }
        return line;
    }

    /// Appends `line` with argument values `v` to `b`; throws [IllegalArgumentException] for a
    /// value the encoding cannot hold.
    static void encode(CsBuilder b, Op op, long[] v) {
        switch (op) {
            case NOP -> b.nop();
            case MOVE48 -> b.move48((int) v[0], v[1]);
            case MOVE32 -> b.move32((int) v[0], int32(v[1], "immediate"));
            case ADD_IMM32 -> b.addImm32((int) v[0], (int) v[1], int32(v[2], "immediate"));
            case ADD_IMM64 -> b.addImm64((int) v[0], (int) v[1], signed32(v[2]));
            case LOAD_MULTIPLE -> b.loadMultiple((int) v[0], (int) v[1], int32(v[2], "mask"), signed32(v[3]));
            case STORE_MULTIPLE -> b.storeMultiple((int) v[0], (int) v[1], int32(v[2], "mask"), signed32(v[3]));
            case WAIT -> b.await(int32(v[0], "scoreboard mask"));
            case RUN_COMPUTE -> b.runCompute((int) v[0]);
            case FLUSH_CACHE2 -> b.flushCache2((int) v[0], (int) v[1], (int) v[2], (int) v[3]);
            case SYNC_ADD32 -> b.syncAdd32((int) v[0], (int) v[1], v[2] != 0);
            case SYNC_ADD64 -> b.syncAdd64((int) v[0], (int) v[1], v[2] != 0);
            case SYNC_SET32 -> b.syncSet32((int) v[0], (int) v[1], v[2] != 0);
            case SYNC_SET64 -> b.syncSet64((int) v[0], (int) v[1], v[2] != 0);
            case SYNC_WAIT32 -> b.syncWait32((int) v[0], (int) v[1], (int) v[2]);
            case SYNC_WAIT64 -> b.syncWait64((int) v[0], (int) v[1], (int) v[2]);
            case STORE_STATE -> b.storeState((int) v[0], signed32(v[1]), (int) v[2]);
            case BRANCH -> b.branch((int) v[0], (int) v[1], signed32(v[2]));
            case CALL -> b.call((int) v[0], (int) v[1]);
            case JUMP -> b.jump((int) v[0], (int) v[1]);
            case SET_SB_ENTRY -> b.setSbEntry();
            case REQ_RESOURCE -> b.reqResource();
            case ERROR_BARRIER -> b.errorBarrier();
            case TRACE_POINT -> b.tracePoint();
            case WORD -> b.emit(v[0]);
        }
    }

    /// Assembles `lines`, evaluating run-time operands with `eval`; a value that does not fit is a
    /// [CheckFailed] at its line.
    static CsBuilder assemble(List<Line> lines, ToLongFunction<Operand> eval) {
        CsBuilder b = new CsBuilder();
        long[] v = new long[4];
        for (Line l : lines) {
            for (int i = 0; i < l.fixed().length; i++) {
                v[i] = l.dynamic()[i] == null ? l.fixed()[i] : eval.applyAsLong(l.dynamic()[i]);
            }
            try {
                encode(b, l.op(), v);
            } catch (IllegalArgumentException e) {
                throw new CheckFailed(l.pos(), l.op().mnemonic() + ": " + e.getMessage());
            }
        }
        return b;
    }

    private static int int32(long v, String what) {
        if (v < Integer.MIN_VALUE || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " " + v + " does not fit 32 bits");
        }
        return (int) v;
    }

    private static int signed32(long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset " + v + " does not fit 32 signed bits");
        }
        return (int) v;
    }

    private static long register(Token t, char kind) throws ScriptException {
        String s = t.text();
        int max = kind == 'r' ? CsBuilder.REGISTERS - 1 : CsBuilder.REGISTERS - 2;
        if (s.length() < 2 || s.charAt(0) != kind || !s.substring(1).chars().allMatch(Character::isDigit)
                || s.length() > 4) {
            throw new ScriptException(t.pos(), "expected a " + (kind == 'r' ? "32-bit register r0..r95" :
                    "64-bit register d0..d94 (even)") + ", found '" + s + "'");
        }
        int n = Integer.parseInt(s.substring(1));
        if (n > max || (kind == 'd' && (n & 1) != 0)) {
            throw new ScriptException(t.pos(), "register " + s + " outside " + (kind == 'r' ? "r0..r95" :
                    "the even registers d0..d94"));
        }
        return n;
    }

    private static long spd(Token t) throws ScriptException {
        String s = t.text();
        for (int i = 0; i < 4; i++) {
            if (s.equals("d" + (CsBuilder.SPD_BASE + 2 * i))) {
                return i;
            }
        }
        throw new ScriptException(t.pos(), "run_compute takes the descriptor register d16, d18, d20 or d22, found '"
                + s + "'");
    }

    private static long pick(Token t, List<String> names, String what) throws ScriptException {
        int i = names.indexOf(t.text());
        if (i < 0) {
            throw new ScriptException(t.pos(), "expected " + what + " (" + String.join(", ", names) + "), found '"
                    + t.text() + "'");
        }
        return i;
    }

    private static String describe(Arg a) {
        return switch (a) {
            case R -> "a 32-bit register";
            case D -> "a 64-bit register";
            case IMM -> "an immediate";
            case COND -> "a condition";
            case SPD -> "a descriptor register";
            case MODE -> "a flush mode";
            case STATE -> "timestamp or cycle_count";
            case FLAG -> "error_propagate";
        };
    }
}
