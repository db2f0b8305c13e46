package dev.gpuemu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    @TempDir
    Path dir;

    private int run(String... args) {
        return GpuemuCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void shouldRunTheShippedEduExampleAndExitZero() {
        Path example = Path.of("..", "docs", "examples", "edu-factorial.wl");
        assertEquals(0, run("run", "--image", "edu", example.toString()), err.toString() + out);
        String o = out.toString();
        assertTrue(o.contains("edu 0000:00:04.0: probe complete, irq 16"), o);
        assertTrue(o.contains("10! = 3628800"), o);
        assertTrue(o.contains("workload " + example + ": passed, 6 check(s) passed, 0 failed"), o);
        assertTrue(o.contains("shutdown: 0 oops(es), 0 guest error(s), 0 leaked page(s), 0 emulator failure(s)"), o);
    }

    @Test
    void shouldExitOneAndShowTheLogTailForAFailedAssertion() throws Exception {
        String s = script("fail.wl", "mmio read32 edu/bar0 0x00 -> $id\nassert $id == 0x020000ed \"edu v2\"\n");
        assertEquals(1, run("run", "--image", "edu", s, "--seed", "3"));
        String o = out.toString();
        assertTrue(o.contains("workload " + s + ": FAILED, 0 check(s) passed, 1 failed"), o);
        assertTrue(o.contains("  " + s + ":2: edu v2: 16777453 (0x10000ed) == 33554669 (0x20000ed) does not hold"), o);
        assertTrue(o.matches("(?s).*kernel log tail:\n  \\[ +0\\.\\d+\\] .*edu 0000:00:04.0: bound to driver edu.*"), o);
        assertTrue(o.contains("seed 3"), o);
    }

    @Test
    void shouldExitTwoWithFileLineColForScriptErrorsWithoutBooting() throws Exception {
        String[][] cases = {
                {"clock step 1us\nfrobnicate\n", ":2:1: unknown command 'frobnicate'"},
                {"open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_NOPE\n", ":2:11: unknown ioctl 'DRM_IOCTL_NOPE'"},
                {"open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_GEM_CLOSE hand=1\n",
                        ":2:31: unknown field 'hand' of DRM_IOCTL_GEM_CLOSE (drm_gem_close: handle, pad)"},
                {"mmio write32 edu/bar0 0x08 1O\n", ":1:28: bad number '1O'"},
                {"assert $nope == 1\n", ":1:8: unknown variable '$nope'"},
                {"repeat 2 {\n  clock step 1us\n", ":1:10: unbalanced '{': block not closed by '}'"},
                {"include \"nothere.wl\"\n", ":1:9: cannot read 'nothere.wl': no such file"},
        };
        int n = 0;
        for (String[] c : cases) {
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            String s = script("bad" + n++ + ".wl", c[0]);
            assertEquals(2, run("run", s), c[1]);
            assertEquals(s + c[1], err.toString().strip());
            assertEquals("", out.toString(), "nothing booted");
        }
    }

    @Test
    void shouldExitTwoForMissingScriptUnknownImageAndMissingArgument() throws Exception {
        assertEquals(2, run("run", dir.resolve("nosuch.wl").toString()));
        assertEquals("gpuemu: cannot read " + dir.resolve("nosuch.wl") + ": no such file", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(2, run("run", script("ok.wl", "clock step 1us\n"), "--image", "nosuch"));
        assertTrue(err.toString().startsWith("gpuemu: unknown image 'nosuch'"), err.toString());
        assertEquals(2, run("run"));
        assertEquals(2, run("run", script("ok2.wl", "clock step 1us\n"), "--seed", "x"));
    }

    @Test
    void shouldExitOneWhenASyscallFailsWithoutExpect() throws Exception {
        String s = script("nodev.wl", "open /dev/dri/card7 -> $fd\n");
        assertEquals(1, run("run", s));
        assertTrue(out.toString().contains(s + ":1: open /dev/dri/card7 failed: ENOENT (-2)"), out.toString());
    }
}
