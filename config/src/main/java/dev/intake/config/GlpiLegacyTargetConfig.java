package dev.intake.config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * GLPI 9.5 / 10's REST API ({@code type: glpi-legacy}), reached at {@code url + "/apirest.php"}: a session opened with
 * {@code initSession} from a user token, or from a login and password (HTTP Basic), plus the API client's App-Token
 * when GLPI asks for one.
 */
public record GlpiLegacyTargetConfig(String name, URI url, Optional<Secret> appToken, Optional<Secret> userToken,
        Optional<String> username, Optional<Secret> password, GlpiTicketFields fields, Duration timeout)
        implements DeliveryTargetConfig {
}
