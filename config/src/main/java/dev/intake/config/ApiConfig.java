package dev.intake.config;

import java.time.Duration;
import java.util.List;

/**
 * The JSON API for other systems.
 *
 * @param tokenLifetime  how long an access token works
 * @param trustedProxies addresses (CIDR) of reverse proxies whose {@code X-Forwarded-For} names the real client;
 *                       from anyone else the header is ignored
 * @param clients        API clients declared here rather than on the Clients page
 */
public record ApiConfig(Duration tokenLifetime, List<String> trustedProxies, List<ApiClientConfig> clients) {

    public ApiConfig {
        trustedProxies = List.copyOf(trustedProxies);
        clients = List.copyOf(clients);
    }
}
