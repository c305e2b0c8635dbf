package dev.intake.app.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The answers the fake receiver is not told to give: redirects, odd Retry-After values. */
class WebhookAnswersTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T09:00:00Z"), ZoneOffset.UTC);

    @Test
    void redirectIsNotFollowedAndNamesOnlyTheNewHost() {
        DeliveryFailure failure = WebhookAnswers.failure(301, "webhook 'hooks' (https://old.example.com)",
                Optional.empty(), Optional.of("https://new.example.com/hooks/T000/B000/secret-token"), "", clock);

        assertThat(failure.kind()).isEqualTo(Kind.UNAUTHORIZED);
        assertThat(failure.getMessage()).contains("answered 301", "https://new.example.com", "does not follow redirects")
                .doesNotContain("secret-token");
    }

    @Test
    void requestTimeoutIsRetried() {
        assertThat(WebhookAnswers.failure(408, "w", Optional.empty(), Optional.empty(), "", clock).kind())
                .isEqualTo(Kind.RETRY);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateCappedAtADay() {
        assertThat(WebhookAnswers.parseRetryAfter("30", clock)).contains(Duration.ofSeconds(30));
        assertThat(WebhookAnswers.parseRetryAfter("Mon, 23 Nov 2026 09:02:00 GMT", clock)).contains(Duration.ofMinutes(2));
        assertThat(WebhookAnswers.parseRetryAfter("Mon, 23 Nov 2026 08:00:00 GMT", clock)).contains(Duration.ZERO);
        assertThat(WebhookAnswers.parseRetryAfter("99999999", clock)).contains(Duration.ofDays(1));
        assertThat(WebhookAnswers.parseRetryAfter("soon", clock)).isEmpty();
    }

    @Test
    void excerptIsOnePlainShortLineWithoutKeys() {
        assertThat(WebhookAnswers.excerpt("<p>bad\r\n\tkey whsec_abc+/=</p>")).isEqualTo("bad key whsec_******");
    }
}
