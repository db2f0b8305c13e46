package dev.gpuemu.hw.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.RegisterDef;
import dev.gpuemu.regs.nvidia.FalconReg;
import dev.gpuemu.regs.nvidia.NvReg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// docs/devices/nvidia-ga102.md's register tables agree with `NvReg` and `FalconReg`: every
/// register has exactly one row with its offset, count, access and reset value.
class NvDocTest {
    private static final Path DOC = Path.of("..", "docs", "devices", "nvidia-ga102.md");
    private static final Map<String, List<String>> ROWS = new HashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| ")) {
                continue;
            }
            List<String> cells = java.util.Arrays.stream(line.substring(1).split("\\|")).map(String::strip).toList();
            if (cells.size() > 4 && cells.get(0).matches("\\+?0x[0-9a-f]+") && ROWS.put(cells.get(1), cells) != null) {
                throw new AssertionError("two rows for " + cells.get(1));
            }
        }
    }

    private static void check(RegisterDef r, String offset, int count, boolean w1c) {
        List<String> row = ROWS.get(r.name());
        assertNotNull(row, "no row for " + r.name());
        assertEquals(offset, row.get(0), r.name());
        assertEquals(count, Integer.parseInt(row.get(2)), r.name());
        String access = w1c ? "W1C" : r.access().name();
        assertEquals(access, row.get(3), r.name());
        String reset = r.access() == Access.WO ? "–" : "0x" + Long.toHexString(r.resetValue());
        assertEquals(reset, row.get(4), r.name());
    }

    @Test
    void shouldDocumentEveryBar0RegisterWithItsOffsetCountAccessAndResetValue() {
        for (NvReg r : NvReg.values()) {
            check(r, String.format("0x%06x", r.offset()), r.count(), r.isW1c());
        }
    }

    @Test
    void shouldDocumentEveryFalconRegister() {
        for (FalconReg r : FalconReg.values()) {
            check(r, String.format("+0x%03x", r.offset()), r.count(), r == FalconReg.IRQSCLR);
        }
    }
}
