package dev.intake.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed shape of {@code collector.yaml}: mappings, lists and scalars, each with the line it starts on,
 * so that a problem can point the operator at the line to fix. Scalars keep their text exactly as written
 * ({@code 0123} stays {@code 0123}), so a value read as text never suffers YAML's number or boolean guessing.
 */
sealed interface YamlNode {

    /** 1-based line in the file. */
    int line();

    /** How the node is described in a message: "a mapping", "a list", "text"... */
    String kind();

    /** A mapping in file order. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {

        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        static Mapping empty(int line) {
            return new Mapping(Map.of(), line);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** One key of a mapping and its value. */
    record Entry(String key, YamlNode value, int line) {
    }

    /** A list. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {

        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A single value, with the type YAML gave it. */
    record Scalar(String text, Type type, int line) implements YamlNode {

        @Override
        public String kind() {
            return switch (type) {
                case TEXT -> "text";
                case INTEGER, DECIMAL -> "a number";
                case TRUE, FALSE -> "a boolean";
                case NULL -> "nothing";
                case INVALID -> "an unusable value";
            };
        }

        /** Never shows the text: a scalar may be a literal secret. */
        @Override
        public String toString() {
            return "Scalar[" + type + ", line " + line + "]";
        }
    }

    /** What YAML made of a scalar. {@code INVALID} marks a value already reported as a problem. */
    enum Type {
        TEXT, INTEGER, DECIMAL, TRUE, FALSE, NULL, INVALID
    }
}
