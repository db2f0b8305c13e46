package dev.gpuemu.workload;

import java.util.ArrayList;
import java.util.List;

/// Splits one script line into tokens: words separated by blanks, double-quoted strings (with
/// `\"` and `\\` escapes), `{` and `}`. A `#` at the start of a token starts a comment that runs
/// to the end of the line.
final class Lexer {
    private Lexer() {
    }

    static List<Token> tokenize(String file, int line, String text) throws ScriptException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            Pos pos = new Pos(file, line, i + 1);
            if (c == '#') {
                break;
            }
            if (c == '{' || c == '}') {
                out.add(new Token(c == '{' ? Token.Kind.OPEN : Token.Kind.CLOSE, String.valueOf(c), pos));
                i++;
                continue;
            }
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < n && (text.charAt(j + 1) == '"' || text.charAt(j + 1) == '\\')) {
                        sb.append(text.charAt(j + 1));
                        j += 2;
                    } else if (d == '"') {
                        closed = true;
                        j++;
                        break;
                    } else {
                        sb.append(d);
                        j++;
                    }
                }
                if (!closed) {
                    throw new ScriptException(pos, "unterminated string");
                }
                out.add(new Token(Token.Kind.STRING, sb.toString(), pos));
                i = j;
                continue;
            }
            int j = i;
            while (j < n && " \t\r{}\"".indexOf(text.charAt(j)) < 0) {
                j++;
            }
            out.add(new Token(Token.Kind.WORD, text.substring(i, j), pos));
            i = j;
        }
        return out;
    }
}
