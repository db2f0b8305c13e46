package dev.gpuemu.kernel.uapi.nova;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.kernel.uapi.Ioc;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls;
import dev.gpuemu.kernel.uapi.drm.DrmIoctls.DrmIoctl;
import dev.gpuemu.kernel.uapi.drm.UapiStruct;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The nova layouts are byte-exact: upstream's three structs and ioctl numbers against
/// kernel-semantics §6.4, the extension's against offsets worked out by hand, no implicit padding
/// anywhere, and (when gcc is installed) everything against the C header
/// docs/uapi/nova_drm_gpuemu.h as the compiler lays it out.
class NovaUapiLayoutTest {
    private static final Map<String, Object[]> EXPECTED = new LinkedHashMap<>();

    private static void expect(String struct, long size, Object... fieldOffsets) {
        Object[] row = new Object[fieldOffsets.length + 1];
        row[0] = size;
        System.arraycopy(fieldOffsets, 0, row, 1, fieldOffsets.length);
        EXPECTED.put(struct, row);
    }

    static {
        expect("drm_nova_getparam", 16, "param", 0, "value", 8);
        expect("drm_nova_gem_create", 16, "handle", 0, "pad", 4, "size", 8);
        expect("drm_nova_gem_info", 16, "handle", 0, "pad", 4, "size", 8);
        expect("drm_nova_gpuemu_gem_create", 16, "size", 0, "flags", 8, "handle", 12);
        expect("drm_nova_gpuemu_gem_mmap_offset", 16, "handle", 0, "pad", 4, "offset", 8);
        expect("drm_nova_gpuemu_vm_create", 24, "flags", 0, "id", 4, "va_start", 8, "va_end", 16);
        expect("drm_nova_gpuemu_vm_destroy", 8, "id", 0, "pad", 4);
        expect("drm_nova_gpuemu_vm_bind", 40, "vm_id", 0, "op", 4, "flags", 8, "handle", 12, "offset", 16,
                "va", 24, "range", 32);
        expect("drm_nova_gpuemu_channel_create", 16, "vm_id", 0, "flags", 4, "channel", 8, "pad", 12);
        expect("drm_nova_gpuemu_channel_destroy", 8, "channel", 0, "pad", 4);
        expect("drm_nova_gpuemu_submit", 48, "channel", 0, "handle", 4, "offset", 8, "dwords", 16, "flags", 20,
                "waits", 24, "signals", 32, "wait_count", 40, "signal_count", 44);
        expect("drm_nova_gpuemu_channel_get_state", 24, "channel", 0, "state", 4, "fault_va", 8, "error", 16,
                "pad", 20);
    }

    private static final Map<String, Integer> EXPECTED_CMDS = new LinkedHashMap<>();

    static {
        // kernel-semantics §6.4 for the first three; _IOC by hand for the rest.
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GETPARAM", 0xC0106440);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GEM_CREATE", 0xC0106441);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GEM_INFO", 0xC0106442);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_GEM_CREATE", 0xC0106443);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_GEM_MMAP_OFFSET", 0xC0106444);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_VM_CREATE", 0xC0186445);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_VM_DESTROY", 0xC0086446);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_VM_BIND", 0xC0286447);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_CREATE", 0xC0106448);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_DESTROY", 0xC0086449);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_SUBMIT", 0xC030644A);
        EXPECTED_CMDS.put("DRM_IOCTL_NOVA_GPUEMU_CHANNEL_GET_STATE", 0xC018644B);
    }

    @Test
    void shouldMatchTheExpectedSizeAndEveryFieldOffsetOfEveryStruct() {
        assertEquals(EXPECTED.keySet().stream().toList(), NovaDrm.STRUCTS.stream().map(UapiStruct::name).toList());
        for (UapiStruct s : NovaDrm.STRUCTS) {
            Object[] row = EXPECTED.get(s.name());
            assertEquals(((Number) row[0]).longValue(), s.layout().byteSize(), s.name() + " size");
            List<String> fields = new ArrayList<>();
            for (int i = 1; i < row.length; i += 2) {
                fields.add((String) row[i]);
                assertEquals(((Number) row[i + 1]).longValue(), s.offsetOf((String) row[i]), s.name() + "." + row[i]);
            }
            assertEquals(fields, s.fields(), s.name() + " members");
            assertEquals(s.layout().byteSize(), Ioc.size(s.cmd()), s.name() + " is the argument of its ioctl");
        }
    }

    @Test
    void shouldHaveNoImplicitPaddingAndNaturalAlignment() {
        for (UapiStruct s : NovaDrm.STRUCTS) {
            long sum = 0;
            for (MemoryLayout m : s.layout().memberLayouts()) {
                assertTrue(!(m instanceof PaddingLayout), s.name() + " has unnamed padding");
                assertEquals(0, sum % m.byteAlignment(), s.name() + "." + m.name().orElse("?") + " misaligned");
                sum += m.byteSize();
            }
            assertEquals(s.layout().byteSize(), sum, s.name());
            assertEquals(0, s.layout().byteSize() % 8, s.name() + ": 64-bit safe size (same on 32-bit userspace)");
        }
    }

    @Test
    void shouldMatchEveryIoctlNumberUpstreamFirstThenTheExtension() {
        assertEquals(EXPECTED_CMDS.keySet().stream().toList(), NovaDrm.ALL.stream().map(DrmIoctl::name).toList());
        int nr = DrmIoctls.DRM_COMMAND_BASE;
        for (DrmIoctl io : NovaDrm.ALL) {
            assertEquals(Ioc.toString(EXPECTED_CMDS.get(io.name())), Ioc.toString(io.cmd()), io.name());
            assertEquals(Ioc.DRM_TYPE, Ioc.type(io.cmd()));
            assertEquals(Ioc.READ | Ioc.WRITE, Ioc.dir(io.cmd()), io.name() + " is DRM_IOWR");
            assertEquals(nr++, io.nr(), io.name() + " numbers are dense");
            assertEquals(io.arg().byteSize(), Ioc.size(io.cmd()), io.name() + " size");
            boolean ext = io.nr() - DrmIoctls.DRM_COMMAND_BASE >= NovaDrm.DRM_NOVA_GPUEMU_GEM_CREATE;
            assertEquals(ext, io.name().startsWith("DRM_IOCTL_NOVA_GPUEMU_"), io.name() + " marks the extension");
            assertEquals(ext, io.arg().name().orElseThrow().startsWith("drm_nova_gpuemu_"), io.name() + " struct name");
        }
    }

    @Test
    void shouldMatchTheConstantsOfTheHeaders() {
        assertEquals(1L, NovaDrm.NOVA_GETPARAM_VRAM_BAR_SIZE);
        assertEquals(1, NovaGpuemu.NOVA_GPUEMU_GEM_CREATE_VRAM);
        assertEquals(List.of(0, 1), List.of(NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_MAP, NovaGpuemu.NOVA_GPUEMU_VM_BIND_OP_UNMAP));
        assertEquals(1, NovaGpuemu.NOVA_GPUEMU_VM_BIND_READ_ONLY);
        assertEquals(0x10_0000L, NovaGpuemu.NOVA_GPUEMU_VA_START);
        assertEquals((1L << 40) - (8L << 30), NovaGpuemu.NOVA_GPUEMU_VA_END);
        assertEquals(0x1F_FFFF, NovaGpuemu.NOVA_GPUEMU_SUBMIT_MAX_DWORDS);
    }

    @Test
    void shouldReadAndWriteFieldsLittleEndianThroughTheVarHandles() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(NovaGpuemu.Submit.LAYOUT);
            NovaGpuemu.Submit.OFFSET.set(s, 0x1122334455667788L);
            NovaGpuemu.Submit.SIGNAL_COUNT.set(s, 0x0A0B0C0D);
            assertEquals((byte) 0x88, s.get(ValueLayout.JAVA_BYTE, 8));
            assertEquals((byte) 0x0D, s.get(ValueLayout.JAVA_BYTE, 44));
            MemorySegment g = arena.allocate(NovaDrm.GemCreate.LAYOUT);
            NovaDrm.GemCreate.SIZE.set(g, 4097L);
            assertEquals(4097L, g.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
        }
    }

    // ---- check against the C header -----------------------------------------------------------

    static Path header() {
        for (Path p : List.of(Path.of("../docs/uapi/nova_drm_gpuemu.h"), Path.of("docs/uapi/nova_drm_gpuemu.h"))) {
            if (Files.isReadable(p)) {
                return p.toAbsolutePath().normalize();
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

    @Test
    void shouldMatchTheCHeaderWhenGccIsPresent(@TempDir Path tmp) throws Exception {
        Path h = header();
        assertNotNull(h, "docs/uapi/nova_drm_gpuemu.h is part of the repository");
        if (!hasGcc()) {
            Assumptions.abort("C layout check skipped: no gcc");
        }
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"" + h + "\"\n"
                + "int main(void) {\n");
        for (UapiStruct s : NovaDrm.STRUCTS) {
            c.append("  printf(\"size %s %zu\\n\", \"").append(s.name()).append("\", sizeof(struct ")
                    .append(s.name()).append("));\n");
            for (String f : s.fields()) {
                c.append("  printf(\"off %s.%s %zu\\n\", \"").append(s.name()).append("\", \"").append(f)
                        .append("\", offsetof(struct ").append(s.name()).append(", ").append(f).append("));\n");
            }
        }
        for (DrmIoctl io : NovaDrm.ALL) {
            c.append("  printf(\"cmd %s %u\\n\", \"").append(io.name()).append("\", (unsigned) ").append(io.name())
                    .append(");\n");
        }
        c.append("  printf(\"const VA_END %llu\\n\", (unsigned long long) NOVA_GPUEMU_VA_END);\n");
        c.append("  printf(\"const VA_START %llu\\n\", (unsigned long long) NOVA_GPUEMU_VA_START);\n");
        c.append("  printf(\"const MAX_DWORDS %llu\\n\", (unsigned long long) NOVA_GPUEMU_SUBMIT_MAX_DWORDS);\n");
        c.append("  return 0;\n}\n");
        Path src = tmp.resolve("nova_layout.c");
        Path exe = tmp.resolve("nova_layout");
        Files.writeString(src, c);
        Process cc = new ProcessBuilder("gcc", "-Wall", "-Werror", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc failed:\n" + ccOut);
        Process run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0);
        Map<String, Long> fromC = new HashMap<>();
        for (String line : lines) {
            String[] p = line.split(" ");
            fromC.put(p[0] + " " + p[1], Long.parseUnsignedLong(p[2]));
        }
        for (UapiStruct s : NovaDrm.STRUCTS) {
            assertEquals(s.layout().byteSize(), fromC.get("size " + s.name()), "sizeof(struct " + s.name() + ")");
            for (String f : s.fields()) {
                assertEquals(s.offsetOf(f), fromC.get("off " + s.name() + "." + f), s.name() + "." + f + " vs C");
            }
        }
        for (DrmIoctl io : NovaDrm.ALL) {
            assertEquals(Ioc.toString(io.cmd()), Ioc.toString(fromC.get("cmd " + io.name()).intValue()), io.name());
        }
        assertEquals(NovaGpuemu.NOVA_GPUEMU_VA_END, fromC.get("const VA_END"));
        assertEquals(NovaGpuemu.NOVA_GPUEMU_VA_START, fromC.get("const VA_START"));
        assertEquals(NovaGpuemu.NOVA_GPUEMU_SUBMIT_MAX_DWORDS, fromC.get("const MAX_DWORDS").intValue());
    }
}
