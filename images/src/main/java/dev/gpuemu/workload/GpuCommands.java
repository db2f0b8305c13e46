package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import dev.gpuemu.user.panthor.KernelDesc;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// The commands a GPU script needs besides ioctls: `struct write|read` over the uAPI struct
/// layouts by C name (to build obj_array payloads in user memory) and `kdesc` (a built-in compute
/// kernel descriptor). `alloc` and `free` are one-liners in [Commands].
final class GpuCommands {
    /// `kdesc` kernels: name → (kernel id, argument names).
    private static final Map<String, List<String>> KERNEL_ARGS = Map.of(
            "copy", List.of("src", "dst", "bytes"),
            "fill", List.of("dst", "bytes", "pattern"),
            "saxpy", List.of("x", "y", "n", "a_bits"),
            "detile", List.of("src", "dst", "width", "height", "bpp", "stride"),
            "fma_loop", List.of("x", "n", "iterations", "a_bits", "b_bits"));
    private static final Map<String, Integer> KERNELS = Map.of(
            "copy", KernelDesc.COPY, "fill", KernelDesc.FILL, "saxpy", KernelDesc.SAXPY, "detile", KernelDesc.DETILE,
            "fma_loop", KernelDesc.FMA_LOOP);

    private GpuCommands() {
    }

    /// `struct write STRUCT ADDR field=VALUE ...` or `struct read STRUCT ADDR -> field=$v ...`.
    static Stmt struct(Pos p, LineReader r, IoctlRegistry reg) throws ScriptException {
        boolean write = r.choice("read or write", "read", "write").equals("write");
        Token name = r.word("a struct name such as drm_panthor_sync_op");
        UapiStruct s = reg.findStruct(name.text()).orElseThrow(() -> new ScriptException(name.pos(),
                "unknown struct '" + name.text() + "'" + Commands.suggest(name.text(), reg.structNames())
                        .map(x -> " (did you mean '" + x + "'?)").orElse("")));
        Operand addr = r.operand("an address");
        List<Stmt.FieldIn> in = new ArrayList<>();
        List<Stmt.FieldOut> out = new ArrayList<>();
        if (write) {
            while (!r.atEnd()) {
                Token t = r.word("field=value");
                int eq = t.text().indexOf('=');
                if (eq <= 0) {
                    throw new ScriptException(t.pos(), "expected field=value, found '" + t.text() + "'");
                }
                String field = field(s, t.text().substring(0, eq), t.pos());
                Pos vp = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + eq + 1);
                Operand v = r.operand(new Token(Token.Kind.WORD, t.text().substring(eq + 1), vp));
                if (v instanceof Operand.Lit l && !StructFields.fits(l.value(), StructFields.of(s.layout())
                        .get(field).bytes())) {
                    throw new ScriptException(vp, "value " + l.value() + " does not fit the "
                            + 8 * StructFields.of(s.layout()).get(field).bytes() + "-bit field " + field);
                }
                in.add(new Stmt.FieldIn(field, v));
            }
        } else {
            Token arrow = r.word("'->'");
            if (!arrow.text().equals("->")) {
                throw new ScriptException(arrow.pos(), "expected '->', found '" + arrow.text() + "'");
            }
            do {
                Token t = r.word("field=$variable");
                int eq = t.text().indexOf('=');
                if (eq <= 0) {
                    throw new ScriptException(t.pos(), "expected field=$variable, found '" + t.text() + "'");
                }
                String field = field(s, t.text().substring(0, eq), t.pos());
                Pos vp = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + eq + 1);
                out.add(new Stmt.FieldOut(field, r.target(new Token(Token.Kind.WORD, t.text().substring(eq + 1), vp))));
            } while (!r.atEnd());
        }
        return new Stmt.StructAccess(p, write, s, addr, in, out);
    }

    private static String field(UapiStruct s, String name, Pos pos) throws ScriptException {
        List<String> fields = StructFields.names(s.layout());
        if (!fields.contains(name)) {
            throw new ScriptException(pos, "unknown field '" + name + "' of " + s.name() + " ("
                    + String.join(", ", fields) + ")");
        }
        return name;
    }

    /// `kdesc ADDR copy SRC DST BYTES`, `fill DST BYTES PATTERN`, `saxpy X Y N A_BITS`,
    /// `detile SRC DST WIDTH HEIGHT BPP STRIDE`, `fma_loop X N ITERATIONS A_BITS B_BITS`.
    static Stmt kdesc(Pos p, LineReader r) throws ScriptException {
        Operand addr = r.operand("a descriptor address");
        String kernel = r.choice("a kernel", "copy", "fill", "saxpy", "detile", "fma_loop");
        List<Operand> args = new ArrayList<>();
        for (String a : KERNEL_ARGS.get(kernel)) {
            args.add(r.operand("the " + a + " argument of " + kernel));
        }
        if (addr instanceof Operand.Lit l && l.value() % KernelDesc.ALIGN != 0) {
            throw new ScriptException(l.pos(), "a kernel descriptor must be 64-byte aligned, got " + l.value());
        }
        return new Stmt.KDesc(p, addr, KERNELS.get(kernel), args);
    }
}
