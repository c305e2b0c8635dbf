package dev.intake.provider;

import java.time.Clock;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * What the app hands every provider besides its configuration.
 *
 * @param sslSocketFactory trust for a private CA (or a test server); empty means the JDK default
 */
public record ProviderContext(Optional<SSLSocketFactory> sslSocketFactory, Clock clock) {

    public static ProviderContext defaults() {
        return new ProviderContext(Optional.empty(), Clock.systemUTC());
    }
}
