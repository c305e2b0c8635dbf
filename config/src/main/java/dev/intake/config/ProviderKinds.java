package dev.intake.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The provider kinds on the class path, by type. The class path does not change while Intake runs, so they are found once. */
public final class ProviderKinds {

    private static final class Installed {
        static final ProviderKinds KINDS = new ProviderKinds(ServiceLoader.load(ProviderKind.class));
    }

    /** Sorted by type, so that messages listing the types do not depend on the order of the class path. */
    private final Map<String, ProviderKind> byType = new TreeMap<>();

    ProviderKinds(Iterable<ProviderKind> kinds) {
        for (ProviderKind kind : kinds) {
            ProviderKind before = byType.put(kind.type(), kind);
            if (before != null) {
                throw new IllegalStateException("Two provider modules for type '" + kind.type() + "' are on the class path ("
                        + before.getClass().getName() + ", " + kind.getClass().getName() + "); the build is wrong");
            }
        }
    }

    public static ProviderKinds installed() {
        return Installed.KINDS;
    }

    public Optional<ProviderKind> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The kind's name for people, e.g. {@code Microsoft Entra}; the type itself when no module knows it. */
    public String displayName(String type) {
        return get(type).map(ProviderKind::displayName).orElse(type);
    }

    Collection<ProviderKind> all() {
        return byType.values();
    }

    List<String> types() {
        return List.copyOf(byType.keySet());
    }

    /** The types whose kind has this key. */
    List<String> typesWithKey(String key) {
        return all().stream().filter(k -> k.keys().contains(key)).map(ProviderKind::type).toList();
    }
}
