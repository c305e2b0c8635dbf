package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, problem-collecting access to one mapping of the file ({@code server}, {@code mailboxes[3]}...).
 * Every getter records what is wrong and returns a stand-in value instead of stopping, so that one load reports
 * every problem; a result built while problems were recorded is thrown away by the loader.
 *
 * <p>Secret references are resolved in every string the getters read. Messages about a value that came from a
 * reference name the reference, never the value; messages about secrets name neither.
 */
final class Section {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d{1,18}");

    private final String path;
    private final YamlNode.Mapping mapping;
    private final ReadContext ctx;

    /**
     * @param knownKeys the keys this mapping may hold; any other key is a problem (with a suggestion when close)
     */
    Section(String path, YamlNode.Mapping mapping, ReadContext ctx, List<String> knownKeys) {
        this(path, mapping, ctx);
        for (String key : keys()) {
            if (!knownKeys.contains(key)) {
                unknownKey(key, knownKeys);
            }
        }
    }

    private Section(String path, YamlNode.Mapping mapping, ReadContext ctx) {
        this.path = path;
        this.mapping = mapping;
        this.ctx = ctx;
    }

    /** Reads the mapping at {@code node}; anything else is a problem, and an empty section stands in. */
    static Section of(String path, YamlNode node, ReadContext ctx, List<String> knownKeys, String whatToWrite) {
        return new Section(path, mappingAt(path, node, ctx, whatToWrite), ctx, knownKeys);
    }

    /**
     * Like {@link #of}, but leaves checking the keys to the caller: for a mapping whose keys depend on one of its
     * values, as a provider's keys depend on its {@code type}.
     */
    static Section ofAnyKeys(String path, YamlNode node, ReadContext ctx, String whatToWrite) {
        return new Section(path, mappingAt(path, node, ctx, whatToWrite), ctx);
    }

    private static YamlNode.Mapping mappingAt(String path, YamlNode node, ReadContext ctx, String whatToWrite) {
        if (node instanceof YamlNode.Mapping m) {
            return m;
        }
        if (!isAbsent(node)) {
            ctx.problems().add(path, "expected a mapping (" + whatToWrite + "), found " + node.kind(), node.line());
        }
        return YamlNode.Mapping.empty(node.line());
    }

    /** The keys written here, in the order written. */
    Set<String> keys() {
        return mapping.entries().keySet();
    }

    /** Reports a key this mapping may not hold, with the known key it is closest to, or else all of them. */
    void unknownKey(String key, List<String> knownKeys) {
        String advice = KeySuggestions.closest(key, knownKeys)
                .map(k -> "did you mean '" + k + "'?")
                .orElse("the keys here are: " + String.join(", ", knownKeys));
        problems().add(path(key), "unknown key '" + key + "'; " + advice, line(key));
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    int line() {
        return mapping.line();
    }

    int line(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry == null ? mapping.line() : entry.line();
    }

    Problems problems() {
        return ctx.problems();
    }

    ReadContext context() {
        return ctx;
    }

    /** True when the key is written with a value (an empty value counts as not written). */
    boolean has(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry != null && !isAbsent(entry.value());
    }

    // ---- structure ----

    /** A nested mapping with fixed keys; empty when absent. */
    Section section(String key, List<String> knownKeys, String whatToWrite) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null) {
            return new Section(path(key), YamlNode.Mapping.empty(mapping.line()), ctx, knownKeys);
        }
        return of(path(key), entry.value(), ctx, knownKeys, whatToWrite);
    }

    /** A nested mapping whose keys are names the operator chooses (providers, encryption keys). */
    YamlNode.Mapping namedEntries(String key, String whatToWrite) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null || isAbsent(entry.value())) {
            return YamlNode.Mapping.empty(mapping.line());
        }
        if (entry.value() instanceof YamlNode.Mapping m) {
            return m;
        }
        problems().add(path(key), "expected a mapping (" + whatToWrite + "), found " + entry.value().kind(), entry.line());
        return YamlNode.Mapping.empty(entry.line());
    }

    /** The items of a list; empty when absent. */
    List<YamlNode> list(String key, String whatToWrite) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry == null || isAbsent(entry.value())) {
            return List.of();
        }
        if (entry.value() instanceof YamlNode.Sequence s) {
            return s.items();
        }
        problems().add(path(key), "expected a list (" + whatToWrite + "), found " + entry.value().kind(), entry.line());
        return List.of();
    }

    // ---- text and secrets ----

    /** The resolved text, empty when absent, empty, or already reported. */
    Optional<Resolved> text(String key) {
        return lookup(key).filter(r -> !r.value().isEmpty());
    }

    Optional<String> optionalString(String key) {
        return text(key).map(Resolved::value);
    }

    String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    /** @return the text, or "" when a problem was recorded */
    String requiredString(String key, String whatToDo) {
        return required(key, whatToDo, false).map(Resolved::value).orElse("");
    }

    /** A required value that must also pass a check; "" when missing or wrong (the problem is recorded). */
    String requiredChecked(String key, String whatToDo, Function<Resolved, Optional<String>> check) {
        return required(key, whatToDo, false).flatMap(r -> {
            Optional<String> error = check.apply(r);
            error.ifPresent(message -> problems().add(path(key), message, line(key)));
            return error.isPresent() ? Optional.<String>empty() : Optional.of(r.value());
        }).orElse("");
    }

    Optional<Secret> secret(String key) {
        return lookupSecret(key).filter(r -> !r.value().isEmpty()).map(r -> Secret.of(r.value()));
    }

    /** @return the secret, or an empty secret when a problem was recorded */
    Secret requiredSecret(String key, String whatToDo) {
        return required(key, whatToDo, true).map(r -> Secret.of(r.value())).orElse(Secret.of(""));
    }

    private Optional<Resolved> required(String key, String whatToDo, boolean secret) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry != null && entry.value() instanceof YamlNode.Scalar s && s.type() == YamlNode.Type.INVALID) {
            return Optional.empty();
        }
        if (entry == null || isAbsent(entry.value())) {
            problems().add(path(key), "missing; " + whatToDo, line(key));
            return Optional.empty();
        }
        Optional<Resolved> value = secret ? lookupSecret(key) : lookup(key);
        if (value.isPresent() && value.get().value().isBlank()) {
            String from = value.get().reference().map(r -> " (from " + r + ")").orElse("");
            problems().add(path(key), "is empty" + from + "; " + whatToDo, entry.line());
            return Optional.empty();
        }
        return value;
    }

    private Optional<Resolved> lookup(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry == null ? Optional.empty() : scalar(entry.value(), path(key), ctx, false);
    }

    private Optional<Resolved> lookupSecret(String key) {
        YamlNode.Entry entry = mapping.entries().get(key);
        return entry == null ? Optional.empty() : scalar(entry.value(), path(key), ctx, true);
    }

    /**
     * Reads any node as a resolved string: text as written (references resolved), numbers and booleans as
     * written, so {@code 0123} stays {@code 0123}. Empty when absent or already reported.
     */
    static Optional<Resolved> scalar(YamlNode node, String path, ReadContext ctx, boolean secret) {
        if (node instanceof YamlNode.Scalar s) {
            return switch (s.type()) {
                case NULL, INVALID -> Optional.empty();
                case TEXT -> ctx.references().resolve(s.text(), path, s.line(), ctx.problems());
                default -> Optional.of(new Resolved(s.text(), Optional.empty()));
            };
        }
        String advice = secret ? "" : "; quote values that start with [ or {, like tag: \"[#{number}]\"";
        ctx.problems().add(path, "expected a single value, found " + node.kind() + advice, node.line());
        return Optional.empty();
    }

    // ---- typed values ----

    int integer(String key, int defaultValue, int min, int max) {
        return optionalInteger(key, min, max).orElse(defaultValue);
    }

    Optional<Integer> optionalInteger(String key, int min, int max) {
        return text(key).flatMap(r -> {
            String range = "write a whole number from " + min + " to " + max;
            if (!WHOLE_NUMBER.matcher(r.value().trim()).matches()) {
                problems().add(path(key), r.describe() + " is not a whole number; " + range, line(key));
                return Optional.empty();
            }
            long n = Long.parseLong(r.value().trim());
            if (n < min || n > max) {
                problems().add(path(key), r.describe() + " is out of range; " + range, line(key));
                return Optional.empty();
            }
            return Optional.of((int) n);
        });
    }

    boolean bool(String key, boolean defaultValue) {
        YamlNode.Entry entry = mapping.entries().get(key);
        if (entry != null && entry.value() instanceof YamlNode.Scalar s) {
            if (s.type() == YamlNode.Type.TRUE) {
                return true;
            }
            if (s.type() == YamlNode.Type.FALSE) {
                return false;
            }
        }
        return text(key).map(r -> switch (r.value().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems().add(path(key), r.describe() + " is not a boolean; write true or false", line(key));
                yield defaultValue;
            }
        }).orElse(defaultValue);
    }

    Duration duration(String key, Duration defaultValue, Duration min) {
        return text(key).map(r -> parseDuration(r, path(key), line(key), min).orElse(defaultValue)).orElse(defaultValue);
    }

    /** Shared with values that are either a word or a duration ({@code initial-sync}). */
    Optional<Duration> parseDuration(Resolved r, String at, int line, Duration min) {
        Duration d;
        try {
            d = Durations.parse(r.value());
        } catch (IllegalArgumentException e) {
            problems().add(at, r.describe() + " is not a duration; write a number and a unit: 500ms, 90s, 5m, 1h or 7d",
                    line);
            return Optional.empty();
        }
        if (d.compareTo(min) < 0) {
            problems().add(at, r.describe() + " is too short; write at least " + Durations.format(min), line);
            return Optional.empty();
        }
        return Optional.of(d);
    }

    long size(String key, long defaultValue, long max) {
        return text(key).map(r -> {
            long n;
            try {
                n = ByteSizes.parse(r.value());
            } catch (IllegalArgumentException e) {
                problems().add(path(key), r.describe() + " is not a size; write bytes or a number with KB, MB or GB: 25MB",
                        line(key));
                return defaultValue;
            }
            if (n < 1 || n > max) {
                problems().add(path(key), r.describe() + " is out of range; write a size from 1 byte to "
                        + ByteSizes.format(max), line(key));
                return defaultValue;
            }
            return n;
        }).orElse(defaultValue);
    }

    /** One of a few words, e.g. {@code tls | starttls}; matched without regard to case. */
    <E> Optional<E> choice(String key, Map<String, E> choices) {
        return text(key).flatMap(r -> {
            E value = choices.get(r.value().trim().toLowerCase(Locale.ROOT));
            if (value == null) {
                problems().add(path(key), r.describe() + " is not one of: " + String.join(", ", choices.keySet()),
                        line(key));
            }
            return Optional.ofNullable(value);
        });
    }

    /** The choices of an enum as the file writes them: lower-case, in declaration order. */
    static <E extends Enum<E>> Map<String, E> words(E[] values) {
        Map<String, E> words = new java.util.LinkedHashMap<>();
        for (E value : values) {
            words.put(value.name().toLowerCase(Locale.ROOT).replace('_', '-'), value);
        }
        return words;
    }

    /** Applies a check that returns an error message (or empty) to the resolved text. */
    Optional<String> checked(String key, Function<Resolved, Optional<String>> check) {
        return text(key).flatMap(r -> {
            Optional<String> error = check.apply(r);
            error.ifPresent(message -> problems().add(path(key), message, line(key)));
            return error.isPresent() ? Optional.empty() : Optional.of(r.value());
        });
    }

    /** One single value of a list, with where it stands. */
    record Item(String path, int line, Resolved value) {
    }

    /** Items of a list of single values, each resolved; failed and empty items are left out (failed ones reported). */
    List<Item> texts(String key, String whatToWrite) {
        List<Item> out = new ArrayList<>();
        List<YamlNode> items = list(key, whatToWrite);
        for (int i = 0; i < items.size(); i++) {
            String at = path(key) + "[" + i + "]";
            YamlNode node = items.get(i);
            scalar(node, at, ctx, false)
                    .filter(r -> !r.value().isBlank())
                    .ifPresent(r -> out.add(new Item(at, node.line(), r)));
        }
        return out;
    }

    /** Not written: {@code key:}, {@code key: ~}, an empty plain value, or a value already reported. */
    private static boolean isAbsent(YamlNode node) {
        return node instanceof YamlNode.Scalar s && (s.type() == YamlNode.Type.NULL || s.type() == YamlNode.Type.INVALID
                || (s.type() == YamlNode.Type.TEXT && s.text().isEmpty()));
    }
}
