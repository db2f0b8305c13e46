package dev.gpuemu.images;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/// A YAML document as a tree whose every key and value remembers where it stood in the file, so
/// that the image loader can point at the line and column of any mistake. Built from Jackson's
/// streaming YAML parser (data binding would lose the positions).
///
/// Scalars keep their source text: numbers, sizes and slots are interpreted by the loader, not by
/// YAML's type guessing (`00:04.0` is a slot, not a sexagesimal float).
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /// A 1-based position in the file.
    record Pos(int line, int column) {
        static Pos of(JsonLocation l) {
            return new Pos(l.getLineNr(), l.getColumnNr());
        }
    }

    /// A node of the tree.
    sealed interface Node {
        Pos pos();

        /// What the node is, for "expected a list, found a map" messages.
        String kind();
    }

    /// A scalar; `text` is `null` for an empty value (`key:` with nothing after it).
    record Scalar(String text, Pos pos) implements Node {
        @Override
        public String kind() {
            return text == null ? "nothing" : "a scalar";
        }
    }

    /// A mapping entry: the key's text and position, and the value.
    record Entry(String key, Pos keyPos, Node value) {
    }

    /// A mapping, entries in file order.
    record MapNode(Map<String, Entry> entries, Pos pos) implements Node {
        @Override
        public String kind() {
            return "a map";
        }
    }

    /// A sequence.
    record ListNode(List<Node> items, Pos pos) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /// Parses one YAML document.
    ///
    /// @throws ImageException on a syntax error, a duplicate key or an empty document
    static Node parse(Reader in, String file) throws ImageException {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new ImageException(file, 1, 1, "empty image file");
            }
            Node root = read(p, file);
            if (p.nextToken() != null) {
                throw at(file, Pos.of(p.currentTokenLocation()), "only one YAML document per image file");
            }
            return root;
        } catch (StreamReadException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new ImageException(file, 0, 0, "cannot read: " + e.getMessage());
        }
    }

    /// SnakeYAML knows where the problem is (its problem mark, 0-based) and what it is; Jackson's
    /// own location is where its parser stood, which may be a line earlier. Prefer SnakeYAML's.
    private static ImageException syntaxError(String file, StreamReadException e) {
        if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            Mark mark = m.getProblemMark();
            String context = m.getContext() == null ? ""
                    : " (" + m.getContext() + (m.getContextMark() == null ? "" : " at line " + (m.getContextMark().getLine() + 1)) + ")";
            return new ImageException(file, mark.getLine() + 1, mark.getColumn() + 1,
                    "YAML syntax error: " + m.getProblem() + context);
        }
        JsonLocation l = e.getLocation();
        Pos pos = l == null ? new Pos(0, 0) : Pos.of(l);
        String msg = e.getOriginalMessage();
        return at(file, pos, "YAML syntax error: " + (msg == null ? "malformed YAML" : msg.lines().findFirst().orElse(msg)));
    }

    static ImageException at(String file, Pos pos, String message) {
        return new ImageException(file, pos.line(), pos.column(), message);
    }

    private static Node read(JsonParser p, String file) throws IOException, ImageException {
        Pos pos = Pos.of(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Pos keyPos = Pos.of(p.currentTokenLocation());
                    p.nextToken();
                    Node value = read(p, file);
                    Entry prev = entries.putIfAbsent(key, new Entry(key, keyPos, value));
                    if (prev != null) {
                        throw at(file, keyPos, "duplicate key '" + key + "' (first at line " + prev.keyPos().line() + ")");
                    }
                }
                return new MapNode(entries, pos);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, file));
                }
                return new ListNode(items, pos);
            }
            case VALUE_NULL -> {
                String text = p.getText();
                return new Scalar(text == null || text.isEmpty() || text.equals("null") || text.equals("~") ? null : text, pos);
            }
            default -> {
                return new Scalar(p.getText(), pos);
            }
        }
    }
}
