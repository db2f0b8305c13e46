package dev.gpuemu.workload;

/// Number and duration literals.
///
/// Numbers: decimal (`4096`, `-1`, `1_000`), hex (`0x1000`), binary (`0b101`); a decimal may end
/// in `K`, `M` or `G` (times 2^10, 2^20, 2^30). Durations: a decimal with a unit `ns`, `us`, `ms`
/// or `s`, converted to simulated nanoseconds.
final class Numbers {
    private Numbers() {
    }

    static long parse(String text, Pos pos) throws ScriptException {
        String s = text.replace("_", "");
        boolean neg = s.startsWith("-");
        String body = neg ? s.substring(1) : s;
        try {
            long v;
            if (body.startsWith("0x") || body.startsWith("0X")) {
                v = Long.parseUnsignedLong(body.substring(2), 16);
            } else if (body.startsWith("0b") || body.startsWith("0B")) {
                v = Long.parseUnsignedLong(body.substring(2), 2);
            } else {
                long scale = 1;
                if (body.endsWith("K")) {
                    scale = 1L << 10;
                } else if (body.endsWith("M")) {
                    scale = 1L << 20;
                } else if (body.endsWith("G")) {
                    scale = 1L << 30;
                }
                if (scale != 1) {
                    body = body.substring(0, body.length() - 1);
                }
                if (body.isEmpty() || !body.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException();
                }
                v = Math.multiplyExact(Long.parseLong(body), scale);
            }
            return neg ? -v : v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ScriptException(pos, "bad number '" + text + "'");
        }
    }

    static boolean looksNumeric(String text) {
        return !text.isEmpty() && (Character.isDigit(text.charAt(0))
                || (text.length() > 1 && text.charAt(0) == '-' && Character.isDigit(text.charAt(1))));
    }

    static long parseDuration(String text, Pos pos) throws ScriptException {
        String s = text.replace("_", "");
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        String unit = s.substring(i);
        long mult = switch (unit) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            default -> -1L;
        };
        if (i == 0 || mult < 0) {
            throw new ScriptException(pos, "bad duration '" + text + "' (a number with ns, us, ms or s)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, i)), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ScriptException(pos, "bad duration '" + text + "'");
        }
    }
}
