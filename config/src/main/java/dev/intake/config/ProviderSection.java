package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code providers.NAME} mapping as a {@link ProviderKind} reads its own keys from it. The getters follow the
 * rules of the whole file: references are resolved, a problem names the key path and line (and a reference rather
 * than the value it resolved to), and a getter that finds one records it and returns a stand-in, so the operator
 * sees every problem of the file at once.
 */
public final class ProviderSection {

    private final String name;
    private final Section section;
    private final AuthMode auth;

    ProviderSection(String name, Section section, AuthMode auth) {
        this.name = name;
        this.section = section;
        this.auth = auth;
    }

    /** The provider's {@code auth}: with {@link AuthMode#APP} its kind checks that the app's own credentials are there. */
    public AuthMode auth() {
        return auth;
    }

    /** {@code NAME} in {@code providers.NAME}. */
    public String name() {
        return name;
    }

    /** @return the text, or "" when it is missing or empty, which is recorded as "missing; {whatToDo}" */
    public String requiredString(String key, String whatToDo) {
        return section.requiredString(key, whatToDo);
    }

    public Optional<String> optionalString(String key) {
        return section.optionalString(key);
    }

    /**
     * A value that must never be shown (a private key, a service account key), usually a {@code ${file:}} or
     * {@code ${env:}} reference; empty when absent. A referenced file is watched, so a rotated key is reloaded.
     */
    public Optional<Secret> optionalSecret(String key) {
        return section.secret(key);
    }

    /** True when the key is written with a value (an empty value counts as not written). */
    public boolean has(String key) {
        return section.has(key);
    }

    /**
     * An absolute URL with a host and one of {@code schemes}, without a user name or password and without a query
     * (providers add their own parameters); empty when absent or wrong.
     *
     * @param example the form to write, shown in problems
     */
    public Optional<URI> url(String key, Set<String> schemes, String example) {
        return url(key, schemes, example, false);
    }

    /** Like {@link #url}, and ending in {@code /}: a base that paths are appended to. */
    public Optional<URI> baseUrl(String key, Set<String> schemes, String example) {
        return url(key, schemes, example, true);
    }

    /** Records a problem with the value of {@code key}, at its path and line; the message must not quote a secret. */
    public void problem(String key, String message) {
        section.problems().add(section.path(key), message, section.line(key));
    }

    private Optional<URI> url(String key, Set<String> schemes, String example, boolean endsWithSlash) {
        return section.checked(key, r -> Values.url(r, schemes, example).or(() -> shape(r, example, endsWithSlash)))
                .map(URI::create);
    }

    private static Optional<String> shape(Resolved r, String example, boolean endsWithSlash) {
        if (endsWithSlash && !r.value().endsWith("/")) {
            return Optional.of(r.describe() + " must end with '/'; write e.g. " + example);
        }
        if (URI.create(r.value()).getRawQuery() != null) {
            return Optional.of(r.describe() + " must not have a query; write e.g. " + example);
        }
        return Optional.empty();
    }
}
