package dev.gpuemu.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadParserTest {
    private static String error(String text) {
        ScriptException e = assertThrows(ScriptException.class,
                () -> WorkloadParser.parse("s.wl", text, IoctlRegistry.standard()));
        return e.getMessage();
    }

    @Test
    void shouldReportUnknownCommandWithSuggestion() {
        assertEquals("s.wl:2:3: unknown command 'opne' (did you mean 'open'?)", error("# c\n  opne /dev/dri/card0 -> $fd\n"));
        assertEquals("s.wl:1:1: unknown command 'frobnicate'", error("frobnicate 1\n"));
    }

    @Test
    void shouldReportUnknownIoctlAtItsColumn() {
        assertEquals("s.wl:2:11: unknown ioctl 'DRM_IOCTL_MODE_CREATE_DUMP' (did you mean 'DRM_IOCTL_MODE_CREATE_DUMB'?)",
                error("open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_MODE_CREATE_DUMP width=1\n"));
    }

    @Test
    void shouldReportWrongFieldNameWithTheStructsFields() {
        assertEquals("s.wl:2:38: unknown field 'widht' of DRM_IOCTL_MODE_CREATE_DUMB (drm_mode_create_dumb: height, "
                        + "width, bpp, flags, handle, pitch, size)",
                error("open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_MODE_CREATE_DUMB widht=64\n"));
        assertEquals("s.wl:2:50: unknown field 'hndl' of DRM_IOCTL_MODE_CREATE_DUMB (drm_mode_create_dumb: height, "
                        + "width, bpp, flags, handle, pitch, size)",
                error("open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=64 -> hndl=$h\n"));
    }

    @Test
    void shouldReportBadNumbersAndDurations() {
        assertEquals("s.wl:1:28: bad number '0x1g'", error("mmio write32 edu/bar0 0x08 0x1g\n"));
        assertEquals("s.wl:1:12: bad duration '10parsecs' (a number with ns, us, ms or s)", error("clock step 10parsecs\n"));
        assertEquals("s.wl:2:44: value 4294967296 does not fit the 32-bit field width",
                error("open /dev/dri/card0 -> $fd\nioctl $fd DRM_IOCTL_MODE_CREATE_DUMB width=4G\n"));
    }

    @Test
    void shouldReportUnknownVariablesIncludingThreadScopes() {
        assertEquals("s.wl:1:36: unknown variable '$h'", error("ioctl 3 DRM_IOCTL_GEM_CLOSE handle=$h\n"));
        assertEquals("s.wl:1:22: unknown variable '$x'", error("print \"value of x is $x\"\n"));
        // a thread's variables reach its parent only through join
        assertEquals("s.wl:4:8: unknown variable '$t'", error("thread a {\n  clock now -> $t\n}\nassert $t > 0\n"));
    }

    @Test
    void shouldAcceptVariablesAfterJoinAndRepeatIndexOnlyInside() throws Exception {
        WorkloadParser.parse("s.wl", "thread a {\n  clock now -> $t\n}\njoin a\nassert $t >= 0\n", IoctlRegistry.standard());
        assertEquals("s.wl:4:8: unknown variable '$i'", error("repeat 2 as $i {\n  print \"$i\"\n}\nassert $i == 1\n"));
    }

    @Test
    void shouldReportUnbalancedBraces() {
        assertEquals("s.wl:2:10: unbalanced '{': block not closed by '}'", error("seed 1\nrepeat 3 {\n  clock step 1us\n"));
        assertEquals("s.wl:2:1: unbalanced '}': no block to close", error("clock step 1us\n}\n"));
        assertEquals("s.wl:1:10: '{' must end its line", error("repeat 3 { clock step 1us }\n"));
        assertEquals("s.wl:1:9: missing '{' after repeat", error("repeat 3\n"));
    }

    @Test
    void shouldReportJoinOfUnknownThreadAndDuplicateThread() {
        assertEquals("s.wl:1:6: unknown thread 'b' (join a thread started earlier in the same block)", error("join b\n"));
        assertEquals("s.wl:3:8: thread 'a' is already running in this block",
                error("thread a {\n}\nthread a {\n}\n"));
    }

    @Test
    void shouldReportUnknownErrnoAndMissingArguments() {
        assertEquals("s.wl:1:35: unknown errno 'ENOPE'", error("open /dev/dri/card0 -> $fd expect ENOPE\n"));
        assertEquals("s.wl:1:20: missing '-> $variable'", error("open /dev/dri/card0\n"));
        assertEquals("s.wl:1:16: unexpected 'extra'", error("clock step 1us extra\n"));
        assertEquals("s.wl:2:11: unknown comparison '=' (one of == != < <= > >=)", error("let $a = 1\nassert $a = 1\n"));
    }

    @Test
    void shouldReportUnterminatedString() {
        assertEquals("s.wl:1:7: unterminated string", error("print \"abc\n"));
    }

    @Test
    void shouldReportMissingIncludeFileAtThePath(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("main.wl");
        Files.writeString(main, "seed 3\ninclude \"lib/missing.wl\"\n");
        ScriptException e = assertThrows(ScriptException.class, () -> WorkloadParser.parseFile(main, IoctlRegistry.standard()));
        assertEquals(main + ":2:9: cannot read 'lib/missing.wl': no such file", e.getMessage());
    }

    @Test
    void shouldReportAnIncludePathWithANulAsAScriptError() {
        // Found by WorkloadParserFuzzTest: the InvalidPathException escaped the parser.
        assertEquals("s.wl:1:9: cannot include 'a\0b': not a valid path (Nul character not allowed)",
                error("include \"a\0b\"\n"));
    }

    @Test
    void shouldNotReadAnIncludeThatIsNoRegularFile(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("main.wl");
        Files.writeString(main, "include \"/dev/zero\"\n");
        ScriptException e = assertThrows(ScriptException.class, () -> WorkloadParser.parseFile(main, IoctlRegistry.standard()));
        assertEquals(main + ":1:9: cannot include '/dev/zero': not a regular file", e.getMessage());
    }

    @Test
    void shouldReportErrorsInsideIncludedFilesWithTheirOwnName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("lib.wl"), "clock now -> $t\n\nclock stpe 1us\n");
        Path main = dir.resolve("main.wl");
        Files.writeString(main, "include lib.wl\n");
        ScriptException e = assertThrows(ScriptException.class, () -> WorkloadParser.parseFile(main, IoctlRegistry.standard()));
        assertEquals(dir.resolve("lib.wl") + ":3:7: expected a clock operation (step, set, now), found 'stpe'", e.getMessage());
    }

    @Test
    void shouldRejectIncludeCycles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.wl"), "include b.wl\n");
        Files.writeString(dir.resolve("b.wl"), "include a.wl\n");
        ScriptException e = assertThrows(ScriptException.class,
                () -> WorkloadParser.parseFile(dir.resolve("a.wl"), IoctlRegistry.standard()));
        assertEquals(dir.resolve("b.wl") + ":1:9: include cycle: 'a.wl' is already being included", e.getMessage());
    }

    @Test
    void shouldShareIncludedVariablesAndRunTheIncludedFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("lib.wl"), "let $base = 0x40000\n");
        Path main = dir.resolve("main.wl");
        Files.writeString(main, "include lib.wl\nmmio write32 edu/bar0 $base+4 7\nmmio read32 edu/bar0 $base+4 -> $v\n"
                + "assert $v == 7 \"DMA buffer is plain memory\"\n");
        Script s = WorkloadParser.parseFile(main, IoctlRegistry.standard());
        try (var m = TestMachines.eduVgem(0)) {
            WorkloadResult r = Workload.run(m, s, 0, x -> { });
            assertEquals(WorkloadResult.Status.PASSED, r.status(), r.toString());
        }
    }

    @Test
    void shouldNumberLinesFromTheGivenFirstLine() {
        ScriptException e = assertThrows(ScriptException.class,
                () -> WorkloadParser.parse("docs/workloads.md", "seed 1\nbogus\n", 40, IoctlRegistry.standard()));
        assertEquals("docs/workloads.md:41:1: unknown command 'bogus'", e.getMessage());
    }

    @Test
    void shouldAcceptExtraIoctlsFromAnOpenRegistry() throws Exception {
        var extra = new dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl("DRM_IOCTL_TEST_NOP",
                dev.gpuemu.kernel.uapi.drm.DrmIoctls.drmIo(0x40), null);
        IoctlRegistry reg = IoctlRegistry.builder().add(java.util.List.of(extra)).build();
        WorkloadParser.parse("s.wl", "ioctl 3 DRM_IOCTL_TEST_NOP expect ENOTTY\n", reg);
        ScriptException e = assertThrows(ScriptException.class,
                () -> WorkloadParser.parse("s.wl", "ioctl 3 DRM_IOCTL_TEST_NOP x=1\n", reg));
        assertEquals("s.wl:1:28: unknown field 'x' of DRM_IOCTL_TEST_NOP (no argument)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IoctlRegistry.builder().add(java.util.List.of(extra, extra)));
    }
}
