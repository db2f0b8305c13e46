package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gpuemu.user.panthor.CsBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// The `cs { ... }` block assembles exactly the words `CsBuilder` emits, literal operands are
/// checked at parse time with the line's column, variable operands when the block runs.
class CsAssemblerTest {

    private static Stmt.Cs parseCs(String text) throws ScriptException {
        Script s = WorkloadParser.parse("s.wl", text, IoctlRegistry.standard());
        return (Stmt.Cs) s.body().stream().filter(x -> x instanceof Stmt.Cs).findFirst().orElseThrow();
    }

    private static String error(String text) {
        return assertThrows(ScriptException.class,
                () -> WorkloadParser.parse("s.wl", text, IoctlRegistry.standard())).getMessage();
    }

    @Test
    void shouldAssembleEveryInstructionLikeCsBuilder() throws Exception {
        Stmt.Cs cs = parseCs("""
                let $gpu = 0x1000000
                cs 0x2000 -> $bytes {
                  # comments and blank lines are fine

                  nop
                  move48 d16 $gpu+0x1000
                  move32 r4 0xffffffff
                  add_imm32 r5 r4 -1
                  add_imm64 d2 d16 64
                  load_multiple r8 d2 0xf -16
                  store_multiple r8 d2 3 8
                  wait 1
                  run_compute d18
                  flush_cache2 clean_invalidate clean none r9
                  sync_add32 d2 r4
                  sync_add64 d2 d16 error_propagate
                  sync_set32 d2 r4
                  sync_set64 d2 d16
                  sync_wait32 greater d2 r4
                  sync_wait64 gequal d2 d16
                  store_state d2 8 cycle_count
                  branch nequal r5 -3
                  call d16 r4
                  jump d16 r4
                  set_sb_entry
                  req_resource
                  error_barrier
                  trace_point
                  word 0x0123456789abcdef
                }
                """);
        CsBuilder want = new CsBuilder().nop().move48(16, 0x1001000L).move32(4, -1).addImm32(5, 4, -1)
                .addImm64(2, 16, 64).loadMultiple(8, 2, 0xf, -16).storeMultiple(8, 2, 3, 8).await(1).runCompute(1)
                .flushCache2(CsBuilder.FLUSH_CLEAN_INVALIDATE, CsBuilder.FLUSH_CLEAN, CsBuilder.FLUSH_NONE, 9)
                .syncAdd32(2, 4, false).syncAdd64(2, 16, true).syncSet32(2, 4, false).syncSet64(2, 16, false)
                .syncWait32(CsBuilder.COND_GREATER, 2, 4).syncWait64(CsBuilder.COND_GEQUAL, 2, 16)
                .storeState(2, 8, CsBuilder.STATE_CYCLE_COUNT).branch(CsBuilder.COND_NEQUAL, 5, -3).call(16, 4)
                .jump(16, 4).setSbEntry().reqResource().errorBarrier().tracePoint().emit(0x0123456789abcdefL);
        Map<String, Long> vars = Map.of("gpu", 0x1000000L);
        CsBuilder got = CsAssembler.assemble(cs.lines(), o -> switch (o) {
            case Operand.Lit l -> l.value();
            case Operand.Sum s -> vars.get(s.base().name()) + ((Operand.Lit) s.term()).value();
            case Operand.Var v -> vars.get(v.name());
        });
        assertArrayEquals(want.toArray(), got.toArray());
        assertEquals("bytes", cs.into());
    }

    @Test
    void shouldReportBadInstructionsAtTheirColumn() {
        assertEquals("s.wl:2:1: unknown command-stream instruction 'move64' (did you mean 'move48'?)",
                error("cs 0 {\nmove64 d2 1\n}\n"));
        assertEquals("s.wl:2:8: expected a 64-bit register d0..d94 (even), found 'r2'", error("cs 0 {\nmove48 r2 1\n}\n"));
        assertEquals("s.wl:2:8: register d3 outside the even registers d0..d94", error("cs 0 {\nmove48 d3 1\n}\n"));
        assertEquals("s.wl:2:8: register r96 outside r0..r95", error("cs 0 {\nmove32 r96 1\n}\n"));
        assertEquals("s.wl:2:1: move48: immediate 281474976710656 does not fit 48 bits",
                error("cs 0 {\nmove48 d2 0x1000000000000\n}\n"));
        assertEquals("s.wl:2:10: missing an immediate (operand 2 of move32)", error("cs 0 {\nmove32 r1\n}\n"));
        assertEquals("s.wl:2:13: unexpected '7'", error("cs 0 {\nmove32 r1 1 7\n}\n"));
        assertEquals("s.wl:2:13: expected a condition (lequal, greater, equal, nequal, less, gequal, always), "
                + "found 'above'", error("cs 0 {\nsync_wait32 above d2 r1\n}\n"));
        assertEquals("s.wl:2:13: run_compute takes the descriptor register d16, d18, d20 or d22, found 'd2'",
                error("cs 0 {\nrun_compute d2\n}\n"));
        assertEquals("s.wl:2:18: expected 'error_propagate' (error_propagate), found 'always'",
                error("cs 0 {\nsync_add32 d2 r1 always\n}\n"));
        assertEquals("s.wl:1:6: unbalanced '{': cs block not closed by '}'", error("cs 0 {\nnop\n"));
        assertEquals("s.wl:1:5: missing '{' after cs", error("cs 0\nnop\n"));
        assertEquals("s.wl:2:1: expected a command-stream instruction, found string \"x\"",
                error("cs 0 {\n\"x\"\n}\n"));
        assertEquals("s.wl:2:11: unknown variable '$nope'", error("cs 0 {\nmove48 d2 $nope\n}\n"));
    }

    @Test
    void shouldReportAnOutOfRangeVariableWhenTheBlockRuns() throws Exception {
        Stmt.Cs cs = parseCs("let $big = 0x1000000000000\ncs 0 {\nnop\nmove48 d2 $big\n}\n");
        CheckFailed e = assertThrows(CheckFailed.class, () -> CsAssembler.assemble(cs.lines(), o -> 0x1000000000000L));
        assertEquals("move48: immediate 281474976710656 does not fit 48 bits", e.getMessage());
        assertEquals(4, e.pos().line());
    }
}
