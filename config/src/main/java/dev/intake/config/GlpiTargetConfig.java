package dev.intake.config;

import java.net.URI;
import java.time.Duration;

/**
 * GLPI 11's high-level API ({@code type: glpi}), reached at {@code url + "/api.php"} with an OAuth 2.0 password grant:
 * GLPI does not allow client credentials for the {@code api} scope, so tickets are created as a GLPI user.
 * Defaults for the connection come from glpi_utils' environment variables ({@code GLPI_URL},
 * {@code GLPI_OAUTH_CLIENT_ID}, {@code GLPI_OAUTH_CLIENT_SECRET}, {@code GLPI_OAUTH_USERNAME},
 * {@code GLPI_OAUTH_PASSWORD}).
 *
 * @param url      GLPI's root URL, e.g. {@code https://helpdesk.example.com}
 * @param scope    the OAuth scopes asked for, {@code api} unless told
 */
public record GlpiTargetConfig(String name, URI url, String clientId, Secret clientSecret, String username,
        Secret password, String scope, GlpiTicketFields fields, Duration timeout) implements DeliveryTargetConfig {
}
