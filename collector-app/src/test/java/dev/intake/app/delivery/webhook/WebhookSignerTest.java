package dev.intake.app.delivery.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    /**
     * The test vector the Standard Webhooks libraries share (their tests' secret, id, timestamp and payload); the
     * Java library ({@code com.standardwebhooks:standardwebhooks} 1.1.0) gives the same signature.
     */
    @Test
    void signsTheSpecificationsTestVector() {
        WebhookSigner signer = new WebhookSigner(Secret.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        String signature = signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aSecretThatIsNoKeyIsRefusedWithoutBeingQuoted() {
        assertThatThrownBy(() -> new WebhookSigner(Secret.of("hunter2-password")))
                .hasMessageContaining("whsec_").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> new WebhookSigner(Secret.of("whsec_hunter2*!")))
                .hasMessageContaining("not base64").hasMessageNotContaining("hunter2").hasNoCause();
    }
}
