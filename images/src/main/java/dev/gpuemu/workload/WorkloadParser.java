package dev.gpuemu.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/// Parses workload scripts (docs/workloads.md). The structure lives here (lines, blocks,
/// threads, includes, variables in scope); the commands of the three layers in [Commands].
///
/// Every error is a [ScriptException] `file:line:col: message`; parsing stops at the first.
/// Variables are checked statically: a use must follow an assignment in the same thread's code,
/// or in its parent's code before the `thread` block, or in a joined thread.
///
/// ## Thread safety
/// Each parse uses its own state; the static entry points are thread-safe.
public final class WorkloadParser {
    private final IoctlRegistry ioctls;
    private final Deque<Path> including = new ArrayDeque<>();

    private WorkloadParser(IoctlRegistry ioctls) {
        this.ioctls = Objects.requireNonNull(ioctls, "ioctls");
    }

    /// Parses a script file. `include` paths resolve against the file's directory.
    ///
    /// @throws IOException if the file cannot be read (a missing *include* is a [ScriptException])
    public static Script parseFile(Path file, IoctlRegistry ioctls) throws IOException, ScriptException {
        String text = Files.readString(file);
        return parse(file.toString(), text, 1, ioctls);
    }

    /// Parses `text` named `file` (includes resolve against `file`'s directory).
    public static Script parse(String file, String text, IoctlRegistry ioctls) throws ScriptException {
        return parse(file, text, 1, ioctls);
    }

    /// Parses `text` whose first line is line `firstLine` of `file` (a script embedded in a
    /// markdown document reports positions in that document).
    public static Script parse(String file, String text, int firstLine, IoctlRegistry ioctls) throws ScriptException {
        WorkloadParser p = new WorkloadParser(ioctls);
        Path self = Path.of(file).toAbsolutePath().normalize();
        p.including.push(self);
        LineReader.Scope scope = new LineReader.Scope(new HashSet<>(), new HashSet<>());
        Cursor c = new Cursor(file, text, firstLine);
        List<Stmt> body = p.block(c, scope, null);
        return new Script(file, body);
    }

    /// The lines of one file.
    private static final class Cursor {
        final String file;
        final String[] lines;
        final int firstLine;
        int next;

        Cursor(String file, String text, int firstLine) {
            this.file = file;
            this.lines = text.split("\n", -1);
            this.firstLine = firstLine;
        }
    }

    /// Parses lines until the `}` that closes `open` (or end of file when `open` is null).
    private List<Stmt> block(Cursor c, LineReader.Scope scope, Token open) throws ScriptException {
        List<Stmt> out = new ArrayList<>();
        Map<String, Set<String>> running = new LinkedHashMap<>();
        while (c.next < c.lines.length) {
            int lineNo = c.firstLine + c.next;
            String text = c.lines[c.next++];
            List<Token> tokens = Lexer.tokenize(c.file, lineNo, text);
            if (tokens.isEmpty()) {
                continue;
            }
            Pos end = new Pos(c.file, lineNo, text.stripTrailing().length() + 1);
            Token first = tokens.getFirst();
            if (first.kind() == Token.Kind.CLOSE) {
                if (open == null) {
                    throw new ScriptException(first.pos(), "unbalanced '}': no block to close");
                }
                if (tokens.size() > 1) {
                    throw new ScriptException(tokens.get(1).pos(), "unexpected "
                            + LineReader.describe(tokens.get(1)) + " after '}'");
                }
                joinAll(running, scope);
                return out;
            }
            for (int k = 0; k < tokens.size(); k++) {
                Token t = tokens.get(k);
                if (t.kind() == Token.Kind.CLOSE) {
                    throw new ScriptException(t.pos(), "'}' must stand alone on its line");
                }
                if (t.kind() == Token.Kind.OPEN && k != tokens.size() - 1) {
                    throw new ScriptException(t.pos(), "'{' must end its line");
                }
            }
            if (first.kind() != Token.Kind.WORD) {
                throw new ScriptException(first.pos(), "expected a command, found " + LineReader.describe(first));
            }
            boolean opens = tokens.getLast().kind() == Token.Kind.OPEN;
            List<Token> head = opens ? tokens.subList(0, tokens.size() - 1) : tokens;
            Token brace = opens ? tokens.getLast() : null;
            LineReader r = new LineReader(head.subList(1, head.size()), end, scope);
            switch (first.text()) {
                case "repeat" -> out.add(repeat(c, first, r, scope, brace));
                case "thread" -> out.add(thread(c, first, r, scope, brace, running));
                case "cs" -> out.add(commandStream(c, first, r, scope, brace));
                case "include" -> {
                    noBlock(first, brace);
                    out.add(include(c, first, r, scope));
                }
                case "join" -> {
                    noBlock(first, brace);
                    Token name = r.word("a thread name");
                    r.done();
                    Set<String> assigned = running.remove(name.text());
                    if (assigned == null) {
                        throw new ScriptException(name.pos(), "unknown thread '" + name.text()
                                + "' (join a thread started earlier in the same block)");
                    }
                    assigned.forEach(scope::define);
                    out.add(new Stmt.Join(first.pos(), name.text()));
                }
                default -> {
                    noBlock(first, brace);
                    out.add(Commands.parse(first, r, ioctls));
                    r.done();
                }
            }
        }
        if (open != null) {
            throw new ScriptException(open.pos(), "unbalanced '{': block not closed by '}'");
        }
        joinAll(running, scope);
        return out;
    }

    private static void noBlock(Token cmd, Token brace) throws ScriptException {
        if (brace != null) {
            throw new ScriptException(brace.pos(), "'" + cmd.text() + "' takes no block");
        }
    }

    private static void joinAll(Map<String, Set<String>> running, LineReader.Scope scope) {
        running.values().forEach(s -> s.forEach(scope::define));
        running.clear();
    }

    private Stmt repeat(Cursor c, Token cmd, LineReader r, LineReader.Scope scope, Token brace) throws ScriptException {
        Operand count = r.operand("a repeat count");
        String index = null;
        boolean hadIndex = false;
        if (r.peekWord("as")) {
            r.next("as");
            Token v = r.word("a variable after 'as'");
            hadIndex = LineReader.VAR.matcher(v.text()).matches() && scope.isDefined(v.text().substring(1));
            index = r.target(v);
        }
        r.done();
        if (brace == null) {
            throw new ScriptException(r.pos(), "missing '{' after repeat");
        }
        List<Stmt> body = block(c, scope, brace);
        if (index != null && !hadIndex) {
            scope.defined().remove(index);
        }
        return new Stmt.Repeat(cmd.pos(), count, index, body);
    }

    /// `cs ADDR [-> $bytes] {` then one instruction per line until `}` ([CsAssembler]).
    private Stmt commandStream(Cursor c, Token cmd, LineReader r, LineReader.Scope scope, Token brace)
            throws ScriptException {
        Operand addr = r.operand("the address to assemble at");
        String into = r.atEnd() ? null : r.into();
        r.done();
        if (brace == null) {
            throw new ScriptException(r.pos(), "missing '{' after cs");
        }
        List<CsAssembler.Line> lines = new ArrayList<>();
        while (c.next < c.lines.length) {
            int lineNo = c.firstLine + c.next;
            String text = c.lines[c.next++];
            List<Token> tokens = Lexer.tokenize(c.file, lineNo, text);
            if (tokens.isEmpty()) {
                continue;
            }
            Token first = tokens.getFirst();
            if (first.kind() == Token.Kind.CLOSE) {
                if (tokens.size() > 1) {
                    throw new ScriptException(tokens.get(1).pos(), "unexpected "
                            + LineReader.describe(tokens.get(1)) + " after '}'");
                }
                return new Stmt.Cs(cmd.pos(), addr, List.copyOf(lines), into);
            }
            if (first.kind() != Token.Kind.WORD) {
                throw new ScriptException(first.pos(), "expected a command-stream instruction, found "
                        + LineReader.describe(first));
            }
            for (Token t : tokens) {
                if (t.kind() == Token.Kind.OPEN || t.kind() == Token.Kind.CLOSE) {
                    throw new ScriptException(t.pos(), "unexpected " + LineReader.describe(t)
                            + " in a cs block (blocks do not nest; '}' stands alone)");
                }
            }
            lines.add(CsAssembler.line(tokens, new Pos(c.file, lineNo, text.stripTrailing().length() + 1), scope));
        }
        throw new ScriptException(brace.pos(), "unbalanced '{': cs block not closed by '}'");
    }

    private Stmt thread(Cursor c, Token cmd, LineReader r, LineReader.Scope scope, Token brace,
                        Map<String, Set<String>> running) throws ScriptException {
        Token name = r.word("a thread name");
        if (!name.text().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ScriptException(name.pos(), "bad thread name '" + name.text() + "'");
        }
        r.done();
        if (brace == null) {
            throw new ScriptException(r.pos(), "missing '{' after thread " + name.text());
        }
        if (running.containsKey(name.text())) {
            throw new ScriptException(name.pos(), "thread '" + name.text() + "' is already running in this block");
        }
        LineReader.Scope inner = new LineReader.Scope(new HashSet<>(scope.defined()), new HashSet<>());
        List<Stmt> body = block(c, inner, brace);
        running.put(name.text(), inner.assigned());
        return new Stmt.Spawn(cmd.pos(), name.text(), body);
    }

    private Stmt include(Cursor c, Token cmd, LineReader r, LineReader.Scope scope) throws ScriptException {
        Token t = r.text("a file to include");
        r.done();
        Path base = including.peek().getParent();
        Path target;
        try {
            target = (base == null ? Path.of(t.text()) : base.resolve(t.text())).normalize();
        } catch (InvalidPathException e) {
            throw new ScriptException(t.pos(), "cannot include '" + t.text() + "': not a valid path (" + e.getReason() + ")");
        }
        if (including.contains(target)) {
            throw new ScriptException(t.pos(), "include cycle: '" + t.text() + "' is already being included");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // a directory or a device such as /dev/zero: never read (it could block or not end)
            throw new ScriptException(t.pos(), "cannot include '" + t.text() + "': not a regular file");
        }
        String text;
        try {
            text = Files.readString(target);
        } catch (IOException e) {
            throw new ScriptException(t.pos(), "cannot read '" + t.text() + "': "
                    + (Files.exists(target) ? e.getMessage() : "no such file"));
        }
        String name = Path.of(c.file).getParent() == null ? t.text()
                : Path.of(c.file).getParent().resolve(t.text()).normalize().toString();
        including.push(target);
        try {
            Cursor inner = new Cursor(name, text, 1);
            return new Stmt.Include(cmd.pos(), block(inner, scope, null));
        } finally {
            including.pop();
        }
    }
}
