package dev.gpuemu.images;

import java.util.Objects;

/// An image file that cannot be used: a YAML syntax error, an unknown key, a value of the wrong
/// type, a bad number or unit, an unknown model or driver, a missing firmware or init file,
/// overlapping MMIO ranges, a slot used twice. The message is `file:line:col: what`, pointing at
/// the offending key or value (1-based line and column, as compilers print them).
///
/// ## Thread safety
/// Immutable.
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    public ImageException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.column = column;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /// The image file as the user named it (or `images/NAME.yaml` for a shipped image).
    public String file() {
        return file;
    }

    /// 1-based line of the offending key or value (0 when the whole file is at fault).
    public int line() {
        return line;
    }

    /// 1-based column of the offending key or value (0 when the whole file is at fault).
    public int column() {
        return column;
    }

    /// The message without the position.
    public String problem() {
        return problem;
    }
}
