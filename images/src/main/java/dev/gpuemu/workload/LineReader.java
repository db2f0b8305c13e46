package dev.gpuemu.workload;

import dev.gpuemu.kernel.uapi.Errno;
import dev.gpuemu.kernel.uapi.UserFault;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/// A cursor over the tokens of one line, with the shared pieces of command syntax: operands,
/// durations, `-> $var` captures and trailing `expect ERRNO` clauses. Every error carries the
/// position of the offending token (or of the line's end for a missing one).
final class LineReader {
    static final Pattern VAR = Pattern.compile("\\$[A-Za-z_][A-Za-z0-9_]*");

    private final List<Token> tokens;
    private final Pos end;
    private final Scope scope;
    private int i;

    LineReader(List<Token> tokens, Pos end, Scope scope) {
        this.tokens = tokens;
        this.end = end;
        this.scope = scope;
    }

    Pos pos() {
        return i < tokens.size() ? tokens.get(i).pos() : end;
    }

    boolean atEnd() {
        return i >= tokens.size();
    }

    boolean peekWord(String w) {
        return i < tokens.size() && tokens.get(i).isWord(w);
    }

    Token next(String what) throws ScriptException {
        if (atEnd()) {
            throw new ScriptException(end, "missing " + what);
        }
        return tokens.get(i++);
    }

    Token word(String what) throws ScriptException {
        Token t = next(what);
        if (t.kind() != Token.Kind.WORD) {
            throw new ScriptException(t.pos(), "expected " + what + ", found " + describe(t));
        }
        return t;
    }

    /// A word or a quoted string.
    Token text(String what) throws ScriptException {
        Token t = next(what);
        if (t.kind() == Token.Kind.OPEN || t.kind() == Token.Kind.CLOSE) {
            throw new ScriptException(t.pos(), "expected " + what + ", found " + describe(t));
        }
        return t;
    }

    /// One of `choices`; `what` names it in errors.
    String choice(String what, String... choices) throws ScriptException {
        Token t = word(what);
        if (!Arrays.asList(choices).contains(t.text())) {
            throw new ScriptException(t.pos(), "expected " + what + " (" + String.join(", ", choices) + "), found '"
                    + t.text() + "'");
        }
        return t.text();
    }

    void done() throws ScriptException {
        if (!atEnd()) {
            throw new ScriptException(tokens.get(i).pos(), "unexpected " + describe(tokens.get(i)));
        }
    }

    Operand operand(String what) throws ScriptException {
        return operand(word(what));
    }

    Operand operand(Token t) throws ScriptException {
        return operand(t, false);
    }

    /// `durations`: a literal term of `$var+TERM` is a duration (`$t0+5ms`).
    private Operand operand(Token t, boolean durations) throws ScriptException {
        String s = t.text();
        if (s.startsWith("$")) {
            int cut = Math.max(s.indexOf('+', 1), s.indexOf('-', 1));
            if (cut < 0) {
                return var(s, t.pos());
            }
            Operand.Var base = var(s.substring(0, cut), t.pos());
            Pos termPos = new Pos(t.pos().file(), t.pos().line(), t.pos().col() + cut + 1);
            String term = s.substring(cut + 1);
            Operand rhs = term.startsWith("$") ? var(term, termPos)
                    : new Operand.Lit(durations ? Numbers.parseDuration(term, termPos) : Numbers.parse(term, termPos), termPos);
            return new Operand.Sum(base, s.charAt(cut) == '-', rhs, t.pos());
        }
        return new Operand.Lit(Numbers.parse(s, t.pos()), t.pos());
    }

    /// A duration literal (`10us`) or a variable holding nanoseconds.
    Operand duration(String what) throws ScriptException {
        Token t = word(what);
        if (t.text().startsWith("$")) {
            return operand(t, true);
        }
        return new Operand.Lit(Numbers.parseDuration(t.text(), t.pos()), t.pos());
    }

    /// A use of a variable: it must have been assigned earlier in the script.
    Operand.Var var(String text, Pos pos) throws ScriptException {
        if (!VAR.matcher(text).matches()) {
            throw new ScriptException(pos, "bad variable name '" + text + "'");
        }
        String name = text.substring(1);
        if (!scope.isDefined(name)) {
            throw new ScriptException(pos, "unknown variable '" + text + "'");
        }
        return new Operand.Var(name, pos);
    }

    /// A variable being assigned (`$name`); returns the name without `$`.
    String target(Token t) throws ScriptException {
        if (!VAR.matcher(t.text()).matches()) {
            throw new ScriptException(t.pos(), "expected a variable such as $x, found '" + t.text() + "'");
        }
        String name = t.text().substring(1);
        scope.define(name);
        return name;
    }

    /// `-> $var`.
    String into() throws ScriptException {
        Token arrow = word("'-> $variable'");
        if (!arrow.text().equals("->")) {
            throw new ScriptException(arrow.pos(), "expected '->', found '" + arrow.text() + "'");
        }
        return target(word("a variable after '->'"));
    }

    /// Optional `-> $var`; null when absent.
    String optionalInto() throws ScriptException {
        return peekWord("->") ? into() : null;
    }

    /// Optional trailing `expect ERRNO`; null when absent.
    Errno expectErrno() throws ScriptException {
        if (!peekWord("expect")) {
            return null;
        }
        i++;
        Token t = word("an errno name such as ENOENT");
        for (Errno e : Errno.values()) {
            if (e.name().equals(t.text()) && e != Errno.EPROBE_DEFER) {
                return e;
            }
        }
        throw new ScriptException(t.pos(), "unknown errno '" + t.text() + "'");
    }

    /// Optional trailing `expect SIGSEGV|SIGBUS`; null when absent.
    UserFault.Signal expectSignal() throws ScriptException {
        if (!peekWord("expect")) {
            return null;
        }
        i++;
        Token t = word("a signal (SIGSEGV or SIGBUS)");
        for (UserFault.Signal s : UserFault.Signal.values()) {
            if (s.name().equals(t.text())) {
                return s;
            }
        }
        throw new ScriptException(t.pos(), "unknown signal '" + t.text() + "' (SIGSEGV or SIGBUS)");
    }

    /// Optional `within DURATION`; null when absent.
    Operand within() throws ScriptException {
        if (!peekWord("within")) {
            return null;
        }
        i++;
        return duration("a duration after 'within'");
    }

    static String describe(Token t) {
        return switch (t.kind()) {
            case WORD -> "'" + t.text() + "'";
            case STRING -> "string \"" + t.text() + "\"";
            case OPEN -> "'{'";
            case CLOSE -> "'}'";
        };
    }

    /// What a parser knows about variables at one point of one thread's code.
    static final class Scope {
        private final Set<String> defined;
        private final Set<String> assigned;

        Scope(Set<String> defined, Set<String> assigned) {
            this.defined = defined;
            this.assigned = assigned;
        }

        boolean isDefined(String name) {
            return defined.contains(name);
        }

        void define(String name) {
            defined.add(name);
            assigned.add(name);
        }

        Set<String> defined() {
            return defined;
        }

        Set<String> assigned() {
            return assigned;
        }
    }
}
