package dev.intake.app.delivery;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a delivery failed, and so what the outbox does next. The message is shown to admins as is: it says what
 * happened and what to do, and never contains a secret or a token.
 */
public final class DeliveryFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** Not received (connection refused, 5xx, 429): try again after the backoff. */
        RETRY,
        /**
         * Perhaps received (a timeout after the request was sent, a connection lost while waiting): the next attempt
         * must look the item up by its delivery id before creating it again.
         */
        UNCERTAIN,
        /** The target refuses this item and will refuse it again (a 4xx about the item): dead letter at once. */
        REJECTED,
        /**
         * The target refuses Intake itself (wrong client secret, password, token; missing right): nothing of this
         * target can go until its configuration is fixed; retried with backoff, not counted against the item.
         */
        UNAUTHORIZED
    }

    private final Kind kind;
    private final transient Optional<Duration> retryAfter;

    public DeliveryFailure(Kind kind, String message) {
        this(kind, message, Optional.empty(), null);
    }

    public DeliveryFailure(Kind kind, String message, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The wait the target asked for ({@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
