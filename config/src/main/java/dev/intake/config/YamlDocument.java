package dev.intake.config;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser.
 *
 * <p>Jackson's own tree ({@code JsonNode}) is not used because it forgets line numbers, silently lets a
 * repeated key win, and turns an alias ({@code *name}) into the alias's name as a string. Building the tree
 * from the token stream keeps the lines and reports both as problems.
 */
final class YamlDocument {

    // The builder does not switch on EMPTY_STRING_AS_NULL as new YAMLFactory() does: "key:" is to mean "not set".
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private final String fileName;
    private final Problems problems;

    private YamlDocument(String fileName, Problems problems) {
        this.fileName = fileName;
        this.problems = problems;
    }

    /**
     * Parses a whole document. An empty document is an empty mapping. Returns empty when the text is not
     * usable YAML (the problem, with line and column, is recorded).
     */
    static Optional<YamlNode.Mapping> parse(String text, String fileName, Problems problems) {
        return new YamlDocument(fileName, problems).parse(text);
    }

    private Optional<YamlNode.Mapping> parse(String text) {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null || first == JsonToken.VALUE_NULL) {
                return Optional.of(YamlNode.Mapping.empty(1));
            }
            YamlNode root = read(parser, "");
            if (parser.nextToken() != null) {
                problems.add(fileName, "a second YAML document (after ---) starts here; keep the whole configuration"
                        + " in one document", line(parser));
                return Optional.empty();
            }
            if (root instanceof YamlNode.Mapping mapping) {
                return Optional.of(mapping);
            }
            problems.add(fileName, "the file holds " + root.kind() + "; it must be a mapping of sections"
                    + " (server, database, encryption, tls, providers, mailboxes, tickets, operations, admins, api)", 1);
            return Optional.empty();
        } catch (JacksonYAMLParseException e) {
            problems.add(fileName, syntaxMessage(e, text));
            return Optional.empty();
        } catch (IOException e) {
            // Only syntax can fail here: the text is already in memory.
            problems.add(fileName, "is not readable YAML (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
    }

    private YamlNode read(YAMLParser p, String path) throws IOException {
        int line = line(p);
        if (p.isCurrentAlias()) {
            problems.add(path, "YAML aliases (*" + p.getText() + ") are not supported; write the value out in full",
                    line);
            return new YamlNode.Scalar("", YamlNode.Type.INVALID, line);
        }
        JsonToken token = p.currentToken();
        return switch (token) {
            case START_OBJECT -> readMapping(p, path, line);
            case START_ARRAY -> readSequence(p, path, line);
            case VALUE_STRING -> new YamlNode.Scalar(p.getText(), YamlNode.Type.TEXT, line);
            case VALUE_NUMBER_INT -> new YamlNode.Scalar(p.getText(), YamlNode.Type.INTEGER, line);
            case VALUE_NUMBER_FLOAT -> new YamlNode.Scalar(p.getText(), YamlNode.Type.DECIMAL, line);
            case VALUE_TRUE -> new YamlNode.Scalar(p.getText(), YamlNode.Type.TRUE, line);
            case VALUE_FALSE -> new YamlNode.Scalar(p.getText(), YamlNode.Type.FALSE, line);
            case VALUE_NULL -> new YamlNode.Scalar("", YamlNode.Type.NULL, line);
            default -> {
                // Binary (!!binary) and embedded objects have no place in this file.
                problems.add(path, "holds a YAML value of an unexpected kind (" + token + "); write plain text", line);
                p.skipChildren();
                yield new YamlNode.Scalar("", YamlNode.Type.INVALID, line);
            }
        };
    }

    private YamlNode.Mapping readMapping(YAMLParser p, String path, int line) throws IOException {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int keyLine = line(p);
            String childPath = path.isEmpty() ? key : path + "." + key;
            p.nextToken();
            YamlNode value = read(p, childPath);
            YamlNode.Entry earlier = entries.get(key);
            if (earlier != null) {
                problems.add(childPath, "appears twice (first on line " + earlier.line() + "); keep one", keyLine);
            } else {
                entries.put(key, new YamlNode.Entry(key, value, keyLine));
            }
        }
        return new YamlNode.Mapping(entries, line);
    }

    private YamlNode.Sequence readSequence(YAMLParser p, String path, int line) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(p, path + "[" + items.size() + "]"));
        }
        return new YamlNode.Sequence(items, line);
    }

    private static int line(YAMLParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    /**
     * SnakeYAML's own message quotes the lines around the error, which may hold a secret written inline: only its
     * problem description and position are used, and its usual problems are said in words an operator knows. Where
     * the parser noticed the error later than where it started (an unclosed quote or bracket, a key without ':'), the
     * line where it started is the one named.
     */
    private static String syntaxMessage(JacksonYAMLParseException e, String text) {
        String problem = "the YAML syntax is broken";
        String context = null;
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        int startLine = -1;
        int column = -1;
        if (e.getCause() instanceof MarkedYAMLException marked) {
            problem = marked.getProblem() == null ? problem : marked.getProblem();
            context = marked.getContext();
            Mark mark = marked.getProblemMark();
            Mark contextMark = marked.getContextMark();
            if (mark != null) {
                line = mark.getLine() + 1;
                column = mark.getColumn() + 1;
            }
            boolean unclosed = context != null && (context.contains("quoted") || context.contains("flow"));
            if (unclosed && contextMark != null && contextMark.getLine() + 1 < line) {
                startLine = contextMark.getLine() + 1;
            }
        }
        // An error noticed at the end of the text belongs to its last line, not to the line after it.
        int lastLine = (int) text.stripTrailing().lines().count();
        if (line > lastLine && lastLine > 0) {
            line = lastLine;
            column = -1;
        }
        String where = startLine > 0 ? "line " + startLine + " (noticed on line " + line + "): "
                : line > 0 ? "line " + line + (column > 0 ? ", column " + column : "") + ": " : "";
        return where + inWords(problem, context);
    }

    private static String inWords(String problem, String context) {
        String c = context == null ? "" : context;
        if (problem.contains("\\t") || problem.contains("\t")) {
            return "a tab character; YAML indents with spaces, never tabs: replace the tabs";
        }
        if (problem.startsWith("mapping values are not allowed")) {
            return "a ':' where a value was expected: this line may be indented deeper than the one above, the line "
                    + "above may lack its ':' (write key: value), or this value holds ': ' and needs quotes";
        }
        if (problem.contains("end of stream") && c.contains("quoted scalar")) {
            return "a quoted value is never closed; add the closing quote";
        }
        if (c.contains("flow") || problem.contains("expected ',' or ']'") || problem.contains("expected ',' or '}'")) {
            return "a value that starts with [ or { is read as a list or map that is not closed; put the value in "
                    + "quotes, e.g. tag: \"[#{number}]\"";
        }
        if (problem.contains("could not find expected ':'")) {
            return "a line without ':'; write key: value";
        }
        if (problem.contains("expected <block end>")) {
            return "this line is indented differently from the lines above it; indent keys of one section alike";
        }
        if (problem.contains("found character") && problem.contains("cannot start any token")) {
            return problem + "; values that start with * & ! % @ or ` need quotes";
        }
        return problem + (context == null ? "" : " (" + context + ")")
                + "; check the indentation and quoting on this line and the one above";
    }
}
