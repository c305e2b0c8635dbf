package dev.intake.provider.google;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import dev.intake.config.AuthMode;
import dev.intake.config.ProviderKind;
import dev.intake.config.ProviderSection;
import dev.intake.config.ProviderSettings;
import dev.intake.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads the keys of providers of type {@code google} from {@code collector.yaml}; found through ServiceLoader. */
public final class GoogleKind implements ProviderKind {

    /** http only for a local test server (see {@link #httpsUnlessLocal}). */
    private static final Set<String> SCHEMES = Set.of("http", "https");
    /** For reading a key only: a transport that is never asked for a connection. */
    static final HttpTransportFactory NO_TRANSPORT = NetHttpTransport::new;

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    @Override
    public String type() {
        return GoogleIdentityProvider.TYPE;
    }

    @Override
    public String displayName() {
        return "Google";
    }

    @Override
    public List<String> keys() {
        return List.of("auth-uri", "token-uri", "service-account-key");
    }

    @Override
    public ProviderSettings read(ProviderSection section) {
        Optional<Secret> serviceAccountKey = section.optionalSecret("service-account-key");
        if (serviceAccountKey.isPresent()) {
            try {
                ServiceAccount.read(serviceAccountKey.get(), "service-account-key", NO_TRANSPORT);
            } catch (IllegalArgumentException e) {
                section.problem("service-account-key", e.getMessage());
            }
        } else if (section.auth() == AuthMode.APP) {
            section.problem("service-account-key", "missing; app-only access at Google uses a service account with"
                    + " domain-wide delegation: write service-account-key: ${file:intake-google-sa.json}");
        }
        return new GoogleSettings(
                httpsUnlessLocal(section, "auth-uri", GoogleSettings.DEFAULT_AUTH_URI),
                httpsUnlessLocal(section, "token-uri", GoogleSettings.DEFAULT_TOKEN_URI),
                serviceAccountKey);
    }

    /**
     * The authorization code, the client secret and the tokens travel over these: https, as Google's own endpoints
     * are. Plain http only for a server on this machine (a test server, a local proxy).
     */
    private static URI httpsUnlessLocal(ProviderSection section, String key, URI defaultUri) {
        Optional<URI> written = section.url(key, SCHEMES, defaultUri.toString());
        if (written.isPresent() && "http".equals(written.get().getScheme())
                && !LOOPBACK.contains(String.valueOf(written.get().getHost()).toLowerCase(Locale.ROOT))) {
            section.problem(key, "'" + written.get() + "' must use https: codes, the client secret and tokens would cross "
                    + "the network in clear; plain http is accepted only for a server on this machine (localhost); "
                    + "write e.g. " + defaultUri);
            return defaultUri;
        }
        return written.orElse(defaultUri);
    }
}
