package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.config.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The words of a GLPI high-level API target's failures. GLPI's own reason is quoted (its error body's {@code title},
 * {@code detail} and {@code additional_messages}, or an OAuth error's {@code error_description}), because that is what
 * tells an admin which field or right is wrong; every text that reaches a message first loses any of the target's
 * secrets it might echo, so no message ever carries the client secret, the password or a token.
 */
final class GlpiHlErrors {

    /** GLPI's text is quoted up to this length: an HTML error page is not a reason. */
    private static final int REASON_LIMIT = 300;

    private final String target;
    private final List<Secret> secrets = new ArrayList<>();

    GlpiHlErrors(String target, Secret... secrets) {
        this.target = target;
        this.secrets.addAll(List.of(secrets));
    }

    /** A token GLPI issued is as secret as the password it was bought with. */
    synchronized void alsoHide(String token) {
        if (token != null && !token.isEmpty()) {
            secrets.add(Secret.of(token));
        }
    }

    String target() {
        return target;
    }

    DeliveryFailure failure(DeliveryFailure.Kind kind, String message) {
        return new DeliveryFailure(kind, hide(message));
    }

    DeliveryFailure failure(DeliveryFailure.Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        // the cause is kept for its type only: its message may quote what GLPI sent
        return new DeliveryFailure(kind, hide(message), retryAfter,
                cause == null ? null : new Exception(cause.getClass().getName()));
    }

    /** GLPI's reason in an answer: its error body when it sent one, else the start of what it sent. */
    String reason(JsonNode body, String raw) {
        List<String> parts = new ArrayList<>();
        if (body != null && body.isObject()) {
            text(body, "title").ifPresent(parts::add);
            text(body, "detail").ifPresent(parts::add);
            text(body, "error_description").ifPresent(parts::add);
            text(body, "message").filter(m -> !parts.contains(m)).ifPresent(parts::add);
            for (JsonNode extra : body.path("additional_messages")) {
                text(extra, "message").ifPresent(parts::add);
            }
            if (parts.isEmpty()) {
                text(body, "error").ifPresent(parts::add);
            }
        }
        String reason = parts.isEmpty() ? raw.strip().replaceAll("\\s+", " ") : String.join(" ", parts);
        if (reason.isEmpty()) {
            return "no reason given";
        }
        return hide(reason.length() <= REASON_LIMIT ? reason : reason.substring(0, REASON_LIMIT) + "\u2026");
    }

    synchronized String hide(String text) {
        String out = text;
        for (Secret secret : secrets) {
            if (!secret.isEmpty()) {
                out = out.replace(secret.reveal(), secret.toString());
            }
        }
        return out;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isTextual() && !value.asText().isBlank()) {
            return Optional.of(value.asText().strip());
        }
        return Optional.empty();
    }
}
