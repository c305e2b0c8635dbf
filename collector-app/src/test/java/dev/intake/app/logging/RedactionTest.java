package dev.intake.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The log safety net masks what looks like a credential and leaves ordinary text alone. */
class RedactionTest {

    @Test
    void masksBearerTokensJwtsOAuthParametersAndXoauth2Responses() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
        String xoauth = Base64.getEncoder().encodeToString("user=a@b.c\u0001auth=Bearer tok\u0001\u0001".getBytes(StandardCharsets.UTF_8));
        String text = "Authorization: Bearer abcdefghijklmnop; id " + jwt
                + " body refresh_token=0.AAAbbbCCC&client_secret=s3cr3t-value&code=xyz123456"
                + " json {\"access_token\":\"at-123456\",\"refresh_token\":\"rt-98765\"} sent AUTHENTICATE XOAUTH2 " + xoauth;

        String out = Redaction.redact(text);

        assertThat(out).doesNotContain("abcdefghijklmnop", jwt, "0.AAAbbbCCC", "s3cr3t-value", "xyz123456", "at-123456",
                "rt-98765", xoauth);
        assertThat(out).contains("Bearer ******", "refresh_token=******", "\"access_token\":\"******\"");
    }

    @Test
    void leavesOrdinaryMessagesAlone() {
        String text = "Mailbox 'support' collected: fetched 3, tickets 2, refused 1 (AUTO_REPLY); next attempt in 60s";
        assertThat(Redaction.redact(text)).isEqualTo(text);
    }

    @Test
    void aValueWithLineBreaksCannotForgeALogLine() {
        var event = new ch.qos.logback.classic.spi.LoggingEvent("test",
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("test"), ch.qos.logback.classic.Level.WARN,
                "The provider answered error={}", null,
                new Object[] {"access_denied\r\n2026-12-06T00:00:00.000Z INFO  [main] admin signed in\u001b[2J"});

        assertThat(new RedactingConverter().convert(event)).isEqualTo(
                "The provider answered error=access_denied\\r\\n2026-12-06T00:00:00.000Z INFO  [main] admin signed in"
                        + "\\u001b[2J");
    }
}
