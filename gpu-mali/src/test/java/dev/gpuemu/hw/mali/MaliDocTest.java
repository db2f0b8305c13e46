package dev.gpuemu.hw.mali;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpuemu.regs.Access;
import dev.gpuemu.regs.mali.MaliAsReg;
import dev.gpuemu.regs.mali.MaliReg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/// docs/devices/mali-g610.md's register tables agree with `MaliReg` and `MaliAsReg`: every
/// register has exactly one row with its offset, width, access and reset value.
class MaliDocTest {
    private static final Path DOC = Path.of("..", "docs", "devices", "mali-g610.md");
    private static final Map<String, List<String>> ROWS = new HashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        for (String line : Files.readAllLines(DOC)) {
            if (!line.startsWith("| ")) {
                continue;
            }
            List<String> cells = java.util.Arrays.stream(line.substring(1).split("\\|")).map(String::strip).toList();
            boolean register = cells.size() > 4 && cells.get(0).matches("\\+?0x[0-9a-f]+");
            if (register && ROWS.put(cells.get(1), cells) != null) {
                throw new AssertionError("two rows for " + cells.get(1));
            }
        }
    }

    private static String access(Access a, String name) {
        return name.endsWith("_CLEAR") ? "W1C" : a.name();
    }

    @Test
    @DisplayName("/mali/doc/gpu-registers")
    void shouldDocumentEveryGpuRegisterWithItsOffsetWidthAccessAndResetValue() {
        for (MaliReg r : MaliReg.values()) {
            List<String> row = ROWS.get(r.name());
            assertTrue(row != null, "no row for " + r.name());
            assertEquals(r.offset(), Long.decode(row.get(0)), r.name());
            assertEquals(r.width() * 8, Integer.parseInt(row.get(2)), r.name());
            String acc = access(r.access(), r.name());
            assertEquals(acc, row.get(3), r.name());
            String reset = r.access() == Access.WO ? "–" : "0x" + Long.toHexString(r.resetValue());
            assertEquals(reset, row.get(4), r.name());
        }
    }

    @Test
    @DisplayName("/mali/doc/as-registers")
    void shouldDocumentEveryAddressSpaceRegister() {
        for (MaliAsReg r : MaliAsReg.values()) {
            List<String> row = ROWS.get(r.name());
            assertTrue(row != null, "no row for " + r.name());
            assertEquals("+0x" + String.format("%02x", r.offset()), row.get(0), r.name());
            assertEquals(r.width() * 8, Integer.parseInt(row.get(2)), r.name());
            assertEquals(r.access().name(), row.get(3), r.name());
        }
    }
}
