package dev.intake.app.mail;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One address of a mail header with its display name, both decoded.
 *
 * @param address the address as written ({@code alice@example.com}); compare with {@link #sameAddress(String)}
 * @param name    the display name, when the sender's software gave one
 */
public record MailAddress(String address, Optional<String> name) {

    public MailAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(name, "name");
    }

    public static MailAddress of(String address) {
        return new MailAddress(address, Optional.empty());
    }

    /** Case-insensitive comparison, as every mail system treats addresses in practice. */
    public boolean sameAddress(String other) {
        return other != null && address.equalsIgnoreCase(other.trim());
    }

    /** The part before the last {@code @}, lower-cased; the whole address when there is none. */
    public String localPart() {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
    }

    /** {@code Alice Example <alice@example.com>}, or the bare address. */
    @Override
    public String toString() {
        return name.map(n -> n + " <" + address + ">").orElse(address);
    }
}
