package dev.intake.provider.google;

import dev.intake.config.ProviderKind;
import dev.intake.config.ProviderSection;
import dev.intake.config.ProviderSettings;
import java.util.List;
import java.util.Set;

/** Reads the keys of providers of type {@code google} from {@code collector.yaml}; found through ServiceLoader. */
public final class GoogleKind implements ProviderKind {

    /** http for a local test server. */
    private static final Set<String> SCHEMES = Set.of("http", "https");

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
        return List.of("auth-uri", "token-uri");
    }

    @Override
    public ProviderSettings read(ProviderSection section) {
        return new GoogleSettings(
                section.url("auth-uri", SCHEMES, GoogleSettings.DEFAULT_AUTH_URI.toString())
                        .orElse(GoogleSettings.DEFAULT_AUTH_URI),
                section.url("token-uri", SCHEMES, GoogleSettings.DEFAULT_TOKEN_URI.toString())
                        .orElse(GoogleSettings.DEFAULT_TOKEN_URI));
    }
}
