package dev.gpuemu.workload;

/// One token of a script line.
///
/// @param kind  word, quoted string, `{` or `}`
/// @param text  the word, or the string's unescaped contents
/// @param pos   where the token starts
record Token(Kind kind, String text, Pos pos) {
    enum Kind { WORD, STRING, OPEN, CLOSE }

    boolean isWord(String w) {
        return kind == Kind.WORD && text.equals(w);
    }
}
