package dev.intake.provider;

import java.util.Objects;

/**
 * What keeps a mailbox authorized offline: a refresh token or a provider's serialized token cache. Opaque to
 * the app, which only stores it encrypted and hands it back. {@link #toString()} never shows it.
 */
public final class Grant {

    private final String material;

    private Grant(String material) {
        this.material = Objects.requireNonNull(material, "material");
    }

    public static Grant of(String material) {
        return new Grant(material);
    }

    /** The grant's secret material, for the provider that made it and for encryption at rest. */
    public String material() {
        return material;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grant g && g.material.equals(material);
    }

    @Override
    public int hashCode() {
        return material.hashCode();
    }

    @Override
    public String toString() {
        return "Grant[******]";
    }
}
