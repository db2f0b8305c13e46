package dev.gpuemu.images;

import dev.gpuemu.images.YamlTree.Entry;
import dev.gpuemu.images.YamlTree.ListNode;
import dev.gpuemu.images.YamlTree.MapNode;
import dev.gpuemu.images.YamlTree.Node;
import dev.gpuemu.images.YamlTree.Pos;
import dev.gpuemu.images.YamlTree.Scalar;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Typed access to a [YamlTree] with positioned errors: every failure names the file, line and
/// column of the node at fault.
final class Nodes {
    private static final Pattern SIZE = Pattern.compile("(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)\\s*([A-Za-z]*)");
    private static final Pattern FREQUENCY = SIZE;

    private final String file;

    Nodes(String file) {
        this.file = file;
    }

    ImageException error(Pos pos, String message) {
        return YamlTree.at(file, pos, message);
    }

    ImageException error(Node node, String message) {
        return error(node.pos(), message);
    }

    /// `node` as a map whose keys are all in `allowed`.
    MapNode map(Node node, String what, List<String> allowed) throws ImageException {
        if (!(node instanceof MapNode m)) {
            throw error(node, what + " must be a map, found " + node.kind());
        }
        for (Entry e : m.entries().values()) {
            if (!allowed.contains(e.key())) {
                throw error(e.keyPos(), "unknown key '" + e.key() + "' in " + what + " (expected one of: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return m;
    }

    ListNode list(Node node, String what) throws ImageException {
        if (!(node instanceof ListNode l)) {
            throw error(node, what + " must be a list, found " + node.kind());
        }
        return l;
    }

    Optional<Node> optional(MapNode m, String key) {
        Entry e = m.entries().get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    Node required(MapNode m, String key, String what) throws ImageException {
        return optional(m, key).orElseThrow(() -> error(m, what + " needs '" + key + "'"));
    }

    /// A non-empty scalar's text.
    String string(Node node, String what) throws ImageException {
        if (!(node instanceof Scalar s)) {
            throw error(node, what + " must be a scalar, found " + node.kind());
        }
        if (s.text() == null || s.text().isBlank()) {
            throw error(node, what + " must not be empty");
        }
        return s.text();
    }

    /// A decimal or `0x` hexadecimal integer, optionally negative, underscores allowed.
    long number(Node node, String what) throws ImageException {
        String text = string(node, what).strip();
        try {
            return parseNumber(text);
        } catch (NumberFormatException e) {
            throw error(node, "bad number '" + text + "' for " + what + " (decimal or 0x hexadecimal)");
        }
    }

    /// A non-negative integer that fits in an `int`.
    int smallNumber(Node node, String what, int max) throws ImageException {
        long v = number(node, what);
        if (v < 0 || v > max) {
            throw error(node, what + " must be 0.." + max + ", found " + v);
        }
        return (int) v;
    }

    /// A byte count: an integer with an optional unit `B`, `KiB`, `MiB`, `GiB`, `TiB`.
    long size(Node node, String what) throws ImageException {
        String text = string(node, what).strip();
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw error(node, "bad size '" + text + "' for " + what + " (a number with an optional unit B, KiB, MiB, GiB, TiB)");
        }
        int shift = switch (m.group(2)) {
            case "", "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> throw error(node, "unknown unit '" + m.group(2) + "' in '" + text + "' for " + what
                    + " (B, KiB, MiB, GiB, TiB)");
        };
        long n;
        try {
            n = parseNumber(m.group(1));
        } catch (NumberFormatException e) {
            throw error(node, "bad size '" + text + "' for " + what);
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw error(node, "size '" + text + "' for " + what + " is too large");
        }
        return n << shift;
    }

    /// A frequency in Hz: a positive integer with an optional unit `Hz`, `kHz`, `MHz`, `GHz`.
    long frequency(Node node, String what) throws ImageException {
        String text = string(node, what).strip();
        Matcher m = FREQUENCY.matcher(text);
        if (!m.matches()) {
            throw error(node, "bad frequency '" + text + "' for " + what + " (a number with an optional unit Hz, kHz, MHz, GHz)");
        }
        long scale = switch (m.group(2)) {
            case "", "Hz" -> 1;
            case "kHz" -> 1_000;
            case "MHz" -> 1_000_000;
            case "GHz" -> 1_000_000_000;
            default -> throw error(node, "unknown unit '" + m.group(2) + "' in '" + text + "' for " + what
                    + " (Hz, kHz, MHz, GHz)");
        };
        long v;
        try {
            v = parseNumber(m.group(1));
        } catch (NumberFormatException e) {
            throw error(node, "bad frequency '" + text + "' for " + what);
        }
        if (v <= 0) {
            throw error(node, what + " must be positive, found '" + text + "'");
        }
        if (v > Long.MAX_VALUE / scale) {
            throw error(node, "frequency '" + text + "' for " + what + " is too large");
        }
        return v * scale;
    }

    boolean bool(Node node, String what) throws ImageException {
        String text = string(node, what).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(node, what + " must be true or false, found '" + text + "'");
        };
    }

    static long parseNumber(String text) {
        String t = text.replace("_", "");
        boolean neg = t.startsWith("-");
        if (neg) {
            t = t.substring(1);
        }
        if (t.isEmpty() || t.startsWith("+") || t.startsWith("-")) {
            throw new NumberFormatException(text);
        }
        boolean hex = t.startsWith("0x") || t.startsWith("0X");
        String digits = hex ? t.substring(2) : t;
        if (digits.isEmpty() || digits.startsWith("+") || digits.startsWith("-")) {
            throw new NumberFormatException(text);
        }
        long v = Long.parseLong(digits, hex ? 16 : 10);
        return neg ? -v : v;
    }
}
