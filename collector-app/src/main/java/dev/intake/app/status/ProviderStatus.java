package dev.intake.app.status;

import java.net.URI;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A configured provider as the operator sees it.
 *
 * @param secretInUse      which secret last worked: {@code client-secret}, {@code client-secret-next}, or empty before the first request
 * @param secretExpires    {@code client-secret-expires}, when configured
 * @param daysLeft         days until that date (negative once past)
 * @param warning          what the operator should do now, if anything (expiry within 30 days, next secret in use)
 */
public record ProviderStatus(
        String name,
        String type,
        String clientId,
        URI redirectUri,
        boolean hasNextSecret,
        Optional<String> secretInUse,
        Optional<LocalDate> secretExpires,
        Optional<Long> daysLeft,
        Optional<String> warning) {
}
