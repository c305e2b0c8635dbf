package dev.intake.app.delivery.webhook;

import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a receiver's answer means for the outbox, following Standard Webhooks' "Delivery success and failure": 2xx
 * is success; 410 means the receiver wants no more; 429, 408 and 5xx are worth another try (after
 * {@code Retry-After} when given); 401 and 403 refuse Intake itself (the shared secret or the receiver's own
 * access rules), so nothing of the target can go until that is fixed; a redirect is not followed (the signed request
 * would go where the operator did not configure it); any other 4xx refuses this item.
 */
final class WebhookAnswers {

    /** Enough of a receiver's error body to tell why; the rest would only crowd the dead-letter list. */
    static final int EXCERPT_LIMIT = 200;
    /** A Retry-After beyond this is taken as this: the outbox's own backoff caps waits too. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

    private WebhookAnswers() {
    }

    /**
     * @param where   the target as it may be named in a message: name and host, never the URL's path (which may
     *                carry a token, as chat webhooks' URLs do)
     * @param body    the start of the answer's body
     */
    static DeliveryFailure failure(int status, String where, Optional<String> retryAfter, Optional<String> location,
            String body, Clock clock) {
        Optional<Duration> wait = retryAfter.flatMap(r -> parseRetryAfter(r, clock));
        String excerpt = excerpt(body);
        String said = excerpt.isEmpty() ? "" : ": " + excerpt;
        if (status == 410) {
            return new DeliveryFailure(Kind.REJECTED, where + " answered 410 Gone: the receiver says this endpoint is gone;"
                    + " remove or fix the target");
        }
        if (status == 401 || status == 403) {
            return new DeliveryFailure(Kind.UNAUTHORIZED, where + " refused the request (" + status + ")" + said
                    + "; the receiver does not accept Intake's signature: give it the same secret as the target's"
                    + " secret, check that its clock is right (it may refuse timestamps more than 5 minutes off) and"
                    + " that it lets Intake's address in");
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new DeliveryFailure(Kind.RETRY, where + " answered " + status + said + "; trying again later"
                    + wait.map(w -> " (it asked for " + w.toSeconds() + "s)").orElse(""), wait, null);
        }
        if (status >= 300 && status < 400) {
            return new DeliveryFailure(Kind.UNAUTHORIZED, where + " answered " + status + ", a redirect"
                    + location.map(l -> " to " + hostOf(l)).orElse("") + "; Intake does not follow redirects with signed"
                    + " events: write the receiver's current URL in the target's url");
        }
        if (status >= 400) {
            return new DeliveryFailure(Kind.REJECTED, where + " refused this event (" + status + ")" + said
                    + "; fix the receiver, then Retry, or Skip the event");
        }
        return new DeliveryFailure(Kind.RETRY, where + " answered " + status + ", which is no answer to a webhook;"
                + " trying again later");
    }

    /** Seconds or an HTTP date (RFC 9110); a wait in the past is none. */
    static Optional<Duration> parseRetryAfter(String value, Clock clock) {
        String v = value.trim();
        Duration wait;
        if (v.matches("\\d{1,9}")) {
            wait = Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                wait = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
    }

    /**
     * A receiver's error body as one short line: control characters and markup gone, runs of space folded, cut at
     * {@link #EXCERPT_LIMIT}. What a receiver echoes is not Intake's secret (the signature is not the key), but it
     * is shown to admins, so it is kept plain and short.
     */
    static String excerpt(String body) {
        String text = body.replaceAll("<[^>]{0,200}>", " ")
                .replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", " ")
                .replaceAll("whsec_[A-Za-z0-9+/=]+", "whsec_******")
                .replaceAll("\\s+", " ")
                .strip();
        return text.length() <= EXCERPT_LIMIT ? text : text.substring(0, EXCERPT_LIMIT - 1) + "\u2026";
    }

    private static String hostOf(String location) {
        try {
            java.net.URI uri = java.net.URI.create(location.trim());
            return uri.getHost() == null ? "another path" : uri.getScheme() + "://" + uri.getHost()
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "an address that is not a URL";
        }
    }
}
