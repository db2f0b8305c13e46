package dev.gpuemu.kernel.uapi.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Ioc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The Java layouts are byte-exact copies of the C structs: sizes, field offsets and ioctl
/// numbers against numbers written down here (from `drm.h`, `drm_mode.h` and the reference
/// table), and — when gcc and a `drm.h` are installed — against what the C compiler says.
class DrmUapiLayoutTest {

    /// struct → size, then field → offset, in declaration order.
    private static final Map<String, Object[]> EXPECTED = new LinkedHashMap<>();

    private static void expect(String struct, long size, Object... fieldOffsets) {
        Object[] row = new Object[fieldOffsets.length + 1];
        row[0] = size;
        System.arraycopy(fieldOffsets, 0, row, 1, fieldOffsets.length);
        EXPECTED.put(struct, row);
    }

    static {
        expect("drm_version", 64, "version_major", 0, "version_minor", 4, "version_patchlevel", 8,
                "name_len", 16, "name", 24, "date_len", 32, "date", 40, "desc_len", 48, "desc", 56);
        expect("drm_unique", 16, "unique_len", 0, "unique", 8);
        expect("drm_gem_close", 8, "handle", 0, "pad", 4);
        expect("drm_gem_flink", 8, "handle", 0, "name", 4);
        expect("drm_gem_open", 16, "name", 0, "handle", 4, "size", 8);
        expect("drm_get_cap", 16, "capability", 0, "value", 8);
        expect("drm_set_client_cap", 16, "capability", 0, "value", 8);
        expect("drm_prime_handle", 12, "handle", 0, "flags", 4, "fd", 8);
        expect("drm_syncobj_create", 8, "handle", 0, "flags", 4);
        expect("drm_syncobj_destroy", 8, "handle", 0, "pad", 4);
        expect("drm_syncobj_handle", 16, "handle", 0, "flags", 4, "fd", 8, "pad", 12);
        expect("drm_syncobj_transfer", 32, "src_handle", 0, "dst_handle", 4, "src_point", 8, "dst_point", 16,
                "flags", 24, "pad", 28);
        expect("drm_syncobj_wait", 40, "handles", 0, "timeout_nsec", 8, "count_handles", 16, "flags", 20,
                "first_signaled", 24, "pad", 28, "deadline_nsec", 32);
        expect("drm_syncobj_timeline_wait", 48, "handles", 0, "points", 8, "timeout_nsec", 16, "count_handles", 24,
                "flags", 28, "first_signaled", 32, "pad", 36, "deadline_nsec", 40);
        expect("drm_syncobj_array", 16, "handles", 0, "count_handles", 8, "pad", 12);
        expect("drm_syncobj_timeline_array", 24, "handles", 0, "points", 8, "count_handles", 16, "flags", 20);
        expect("drm_mode_create_dumb", 32, "height", 0, "width", 4, "bpp", 8, "flags", 12, "handle", 16, "pitch", 20,
                "size", 24);
        expect("drm_mode_map_dumb", 16, "handle", 0, "pad", 4, "offset", 8);
        expect("drm_mode_destroy_dumb", 4, "handle", 0);
    }

    /// Full ioctl numbers (kernel-semantics.md §1.5, or `_IOC` by hand for the rest).
    private static final Map<String, Integer> EXPECTED_CMDS = new LinkedHashMap<>();

    static {
        EXPECTED_CMDS.put("DRM_IOCTL_VERSION", 0xC0406400);
        EXPECTED_CMDS.put("DRM_IOCTL_GET_UNIQUE", 0xC0106401);
        EXPECTED_CMDS.put("DRM_IOCTL_GEM_CLOSE", 0x40086409);
        EXPECTED_CMDS.put("DRM_IOCTL_GEM_FLINK", 0xC008640A);
        EXPECTED_CMDS.put("DRM_IOCTL_GEM_OPEN", 0xC010640B);
        EXPECTED_CMDS.put("DRM_IOCTL_GET_CAP", 0xC010640C);
        EXPECTED_CMDS.put("DRM_IOCTL_SET_CLIENT_CAP", 0x4010640D);
        EXPECTED_CMDS.put("DRM_IOCTL_SET_MASTER", 0x0000641E);
        EXPECTED_CMDS.put("DRM_IOCTL_DROP_MASTER", 0x0000641F);
        EXPECTED_CMDS.put("DRM_IOCTL_PRIME_HANDLE_TO_FD", 0xC00C642D);
        EXPECTED_CMDS.put("DRM_IOCTL_PRIME_FD_TO_HANDLE", 0xC00C642E);
        EXPECTED_CMDS.put("DRM_IOCTL_MODE_CREATE_DUMB", 0xC02064B2);
        EXPECTED_CMDS.put("DRM_IOCTL_MODE_MAP_DUMB", 0xC01064B3);
        EXPECTED_CMDS.put("DRM_IOCTL_MODE_DESTROY_DUMB", 0xC00464B4);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_CREATE", 0xC00864BF);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_DESTROY", 0xC00864C0);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD", 0xC01064C1);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE", 0xC01064C2);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_WAIT", 0xC02864C3);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_RESET", 0xC01064C4);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_SIGNAL", 0xC01064C5);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT", 0xC03064CA);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_QUERY", 0xC01864CB);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_TRANSFER", 0xC02064CC);
        EXPECTED_CMDS.put("DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL", 0xC01864CD);
    }

    @Test
    void shouldMatchTheExpectedSizeAndEveryFieldOffsetOfEveryStruct() {
        assertEquals(EXPECTED.keySet().stream().toList(), UapiStruct.ALL.stream().map(UapiStruct::name).toList());
        for (UapiStruct s : UapiStruct.ALL) {
            Object[] row = EXPECTED.get(s.name());
            assertEquals(((Number) row[0]).longValue(), s.layout().byteSize(), s.name() + " size");
            List<String> fields = new ArrayList<>();
            for (int i = 1; i < row.length; i += 2) {
                String f = (String) row[i];
                fields.add(f);
                assertEquals(((Number) row[i + 1]).longValue(), s.offsetOf(f), s.name() + "." + f);
            }
            assertEquals(fields, s.fields(), s.name() + " members");
            assertEquals(s.layout().byteSize(), Ioc.size(s.cmd()), s.name() + " is the argument of its ioctl");
        }
    }

    @Test
    void shouldMatchEveryIoctlNumberOfTheReference() {
        assertEquals(EXPECTED_CMDS.keySet().stream().toList(), DrmIoctls.ALL.stream().map(DrmIoctls.DrmIoctl::name).toList());
        for (DrmIoctls.DrmIoctl io : DrmIoctls.ALL) {
            assertEquals(Ioc.toString(EXPECTED_CMDS.get(io.name())), Ioc.toString(io.cmd()), io.name());
            assertEquals(Ioc.DRM_TYPE, Ioc.type(io.cmd()));
            assertEquals(io.arg() == null ? 0 : io.arg().byteSize(), Ioc.size(io.cmd()), io.name() + " size");
        }
        assertEquals(0x40, DrmIoctls.DRM_COMMAND_BASE);
        assertEquals(0xA0, DrmIoctls.DRM_COMMAND_END);
        assertTrue(DrmIoctls.isDriverIoctl(0x40) && DrmIoctls.isDriverIoctl(0x9F));
        assertTrue(!DrmIoctls.isDriverIoctl(0xA0) && !DrmIoctls.isDriverIoctl(0x3F));
    }

    @Test
    void shouldLayOutTheVgemStructsAndNumbersAsVgemDrmHeader() {
        // vgem_drm.h: ATTACH is DRM_IOWR(0x41, 16 bytes), SIGNAL is DRM_IOW(0x42, 8 bytes).
        assertEquals(16, VgemDrm.FenceAttach.LAYOUT.byteSize());
        assertEquals(List.of(0L, 4L, 8L, 12L), List.of("handle", "flags", "out_fence", "pad").stream()
                .map(f -> Uapi.offset(VgemDrm.FenceAttach.LAYOUT, f)).toList());
        assertEquals(8, VgemDrm.FenceSignal.LAYOUT.byteSize());
        assertEquals(List.of(0L, 4L), List.of("fence", "error").stream()
                .map(f -> Uapi.offset(VgemDrm.FenceSignal.LAYOUT, f)).toList());
        assertEquals(Ioc.toString(0xC0106441), Ioc.toString(VgemDrm.FENCE_ATTACH));
        assertEquals(Ioc.toString(0x40086442), Ioc.toString(VgemDrm.FENCE_SIGNAL));
        assertEquals(List.of(VgemDrm.FENCE_ATTACH, VgemDrm.FENCE_SIGNAL),
                VgemDrm.ALL.stream().map(DrmIoctls.DrmIoctl::cmd).toList());
        assertEquals(1, VgemDrm.VGEM_FENCE_WRITE);
    }

    @Test
    void shouldMatchTheConstantsOfTheHeaders() {
        assertEquals(0x80000, DrmPrime.DRM_CLOEXEC);
        assertEquals(2, DrmPrime.DRM_RDWR);
        assertEquals(1, DrmSyncobj.DRM_SYNCOBJ_CREATE_SIGNALED);
        assertEquals(8, DrmSyncobj.DRM_SYNCOBJ_WAIT_FLAGS_WAIT_DEADLINE);
        assertEquals(0x13, DrmCap.DRM_CAP_SYNCOBJ);
        assertEquals(0x14, DrmCap.DRM_CAP_SYNCOBJ_TIMELINE);
        assertEquals(0x5, DrmCap.DRM_CAP_PRIME);
        assertEquals(3, DrmCap.DRM_PRIME_CAP_IMPORT | DrmCap.DRM_PRIME_CAP_EXPORT);
        assertEquals(DrmSyncobj.Wait.SIZE_WITHOUT_DEADLINE, DrmSyncobj.Wait.LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("deadline_nsec")));
        assertEquals(DrmSyncobj.TimelineWait.SIZE_WITHOUT_DEADLINE, DrmSyncobj.TimelineWait.LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("deadline_nsec")));
    }

    @Test
    void shouldReadAndWriteFieldsLittleEndianThroughTheVarHandles() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(DrmSyncobj.Wait.LAYOUT);
            DrmSyncobj.Wait.HANDLES.set(seg, 0x1122334455667788L);
            DrmSyncobj.Wait.COUNT_HANDLES.set(seg, 3);
            DrmSyncobj.Wait.DEADLINE_NSEC.set(seg, -1L);
            assertEquals((byte) 0x88, seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertEquals((byte) 3, seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 16));
            assertEquals(3, (int) DrmSyncobj.Wait.COUNT_HANDLES.get(seg));
            assertEquals(-1L, (long) DrmSyncobj.Wait.DEADLINE_NSEC.get(seg));
            MemorySegment prime = arena.allocate(DrmPrime.LAYOUT);
            DrmPrime.FD.set(prime, -9);
            assertEquals(-9, prime.get(java.lang.foreign.ValueLayout.JAVA_INT, 8));
            assertEquals(4, DrmPrime.LAYOUT.byteAlignment());
        }
    }

    // ---- check against the C header -----------------------------------------------------------

    private static Path findHeaderDir() {
        List<String> candidates = new ArrayList<>();
        String prop = System.getProperty("gpuemu.drm.include");
        if (prop != null) {
            candidates.add(prop);
        }
        String env = System.getenv("GPUEMU_DRM_INCLUDE");
        if (env != null) {
            candidates.add(env);
        }
        candidates.add("/usr/include/libdrm");
        candidates.add("/usr/include/drm");
        for (String c : candidates) {
            Path dir = Path.of(c);
            if (Files.isReadable(dir.resolve("drm.h")) && Files.isReadable(dir.resolve("drm_mode.h"))) {
                return dir;
            }
        }
        return null;
    }

    private static boolean hasGcc() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /// The body of `struct name { ... };` in the header text, or null.
    private static String structBody(String header, String name) {
        Matcher m = Pattern.compile("struct\\s+" + name + "\\s*\\{(.*?)\\};", Pattern.DOTALL).matcher(header);
        return m.find() ? m.group(1) : null;
    }

    private static boolean declares(String body, String field) {
        String code = body.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", " ");
        return Pattern.compile("[\\s*]" + field + "\\s*;").matcher(code).find();
    }

    @Test
    void shouldMatchTheCHeaderWhenGccAndDrmHeaderArePresent(@TempDir Path tmp) throws Exception {
        Path include = findHeaderDir();
        if (include == null || !hasGcc()) {
            String reason = "C layout check skipped: " + (include == null
                    ? "no drm.h (/usr/include/libdrm, /usr/include/drm, -Dgpuemu.drm.include)"
                    : "no gcc");
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        String header = Files.readString(include.resolve("drm.h")) + Files.readString(include.resolve("drm_mode.h"));
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <drm.h>\n#include <drm_mode.h>\n"
                + "int main(void) {\n");
        Map<String, List<String>> present = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (UapiStruct s : UapiStruct.ALL) {
            String body = structBody(header, s.name());
            assertNotNull(body, "header " + include + " lacks struct " + s.name());
            List<String> fields = new ArrayList<>();
            for (String f : s.fields()) {
                if (declares(body, f)) {
                    fields.add(f);
                } else {
                    absent.add(s.name() + "." + f);
                }
            }
            present.put(s.name(), fields);
            c.append("  printf(\"size %s %zu\\n\", \"").append(s.name()).append("\", sizeof(struct ").append(s.name())
                    .append("));\n");
            for (String f : fields) {
                c.append("  printf(\"off %s %zu\\n\", \"").append(s.name()).append('.').append(f)
                        .append("\", offsetof(struct ").append(s.name()).append(", ").append(f).append("));\n");
            }
        }
        for (DrmIoctls.DrmIoctl io : DrmIoctls.ALL) {
            c.append("#ifdef ").append(io.name()).append("\n  printf(\"cmd %s %u\\n\", \"").append(io.name())
                    .append("\", (unsigned) ").append(io.name()).append(");\n#endif\n");
        }
        c.append("  return 0;\n}\n");
        Path src = tmp.resolve("layout.c");
        Path exe = tmp.resolve("layout");
        Files.writeString(src, c);
        Process cc = new ProcessBuilder("gcc", "-Wall", "-I", include.toString(), "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc failed:\n" + ccOut);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0);
        Map<String, Long> fromC = new HashMap<>();
        for (String line : lines) {
            String[] p = line.split(" ");
            fromC.put(p[0] + " " + p[1], Long.parseLong(p[2]));
        }
        int fieldsChecked = 0;
        for (UapiStruct s : UapiStruct.ALL) {
            List<String> fields = present.get(s.name());
            for (String f : fields) {
                assertEquals(s.offsetOf(f), fromC.get("off " + s.name() + "." + f), s.name() + "." + f + " vs C");
                fieldsChecked++;
            }
            // A header older than the layout lacks trailing fields only: its struct ends where the
            // first missing field starts.
            long expectedSize = s.layout().byteSize();
            List<String> all = s.fields();
            if (fields.size() < all.size()) {
                assertEquals(all.subList(0, fields.size()), fields, s.name() + ": fields missing in the middle");
                expectedSize = s.offsetOf(all.get(fields.size()));
            }
            assertEquals(expectedSize, fromC.get("size " + s.name()), "sizeof(struct " + s.name() + ")");
        }
        int cmdsChecked = 0;
        for (DrmIoctls.DrmIoctl io : DrmIoctls.ALL) {
            Long cmd = fromC.get("cmd " + io.name());
            assertNotNull(cmd, include + " does not define " + io.name());
            int expected = io.cmd();
            if (io.arg() != null) {
                String struct = io.arg().name().orElseThrow();
                long cSize = fromC.get("size " + struct);
                expected = Ioc.ioc(Ioc.dir(io.cmd()), Ioc.type(io.cmd()), Ioc.nr(io.cmd()), (int) cSize);
            }
            assertEquals(Ioc.toString(expected), Ioc.toString(cmd.intValue()), io.name() + " vs C");
            cmdsChecked++;
        }
        System.out.println("C layout check against " + include + ": " + UapiStruct.ALL.size() + " structs, "
                + fieldsChecked + " fields, " + cmdsChecked + " ioctl numbers match"
                + (absent.isEmpty() ? "" : "; fields newer than this header (size checked as truncated): " + absent));
    }
}
