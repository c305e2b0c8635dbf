package dev.intake.config;

import java.util.List;

/**
 * An API client declared in {@code collector.yaml} (key {@code api.clients}).
 *
 * @param secret the client's secret, usually a {@code ${file:}} reference; Intake keeps only its bcrypt hash
 */
public record ApiClientConfig(String clientId, String name, String comment, Secret secret, List<String> grants,
        List<String> scopes, List<String> allowedIps, List<String> redirectUris, boolean active) {

    public ApiClientConfig {
        grants = List.copyOf(grants);
        scopes = List.copyOf(scopes);
        allowedIps = List.copyOf(allowedIps);
        redirectUris = List.copyOf(redirectUris);
    }
}
