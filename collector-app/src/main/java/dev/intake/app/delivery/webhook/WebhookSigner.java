package dev.intake.app.delivery.webhook;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks' symmetric signature (spec 1.0.0, "Signature scheme"): HMAC-SHA256 with the key that follows
 * {@code whsec_} (base64), over {@code id + "." + timestamp + "." + body}, sent as {@code v1,} and the base64 MAC.
 * The body signed is the very bytes sent, so no re-serialization can make the two differ.
 */
final class WebhookSigner {

    static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /** @throws IllegalArgumentException when the secret is no {@code whsec_} key (the message never quotes it) */
    WebhookSigner(Secret secret) {
        String value = secret.reveal().trim();
        if (!value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the webhook secret does not start with whsec_");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // not chained: the decoder's message quotes a character of the secret
            throw new IllegalArgumentException("the webhook secret is not base64 after whsec_");
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("the webhook secret holds no key after whsec_");
        }
        this.key = new SecretKeySpec(bytes, ALGORITHM);
    }

    /** The {@code webhook-signature} header's value for this attempt. */
    String sign(String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is in every JDK, and any byte string is an HMAC key
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
