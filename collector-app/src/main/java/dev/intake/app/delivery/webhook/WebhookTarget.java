package dev.intake.app.delivery.webhook;

import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import dev.intake.app.delivery.DeliveryTarget;
import dev.intake.app.delivery.ItemKind;
import dev.intake.app.events.EventType;
import dev.intake.config.WebhookTargetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each event to a URL as a Standard Webhook ({@code type: webhook}). The {@code webhook-id} is the item's
 * delivery id, the same at every attempt, so a receiver that got an attempt whose answer Intake never saw (a timeout)
 * drops the resend; {@code webhook-timestamp} is the time of this attempt, as the specification asks, so a receiver
 * can refuse replays. Success stores the {@code webhook-id} as the remote id.
 */
public final class WebhookTarget implements DeliveryTarget {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTarget.class);
    private static final Map<ItemKind, EventType> EVENT_OF_KIND = new EnumMap<>(ItemKind.class);
    /** The start of an error answer kept for the message; a receiver's error page is not read to its end. */
    private static final int READ_LIMIT = 4096;

    static {
        EVENT_OF_KIND.put(ItemKind.TICKET, EventType.TICKET_CREATED);
        EVENT_OF_KIND.put(ItemKind.FOLLOWUP, EventType.FOLLOWUP_ADDED);
        EVENT_OF_KIND.put(ItemKind.MESSAGE_REFUSED, EventType.MESSAGE_REFUSED);
        EVENT_OF_KIND.put(ItemKind.MAILBOX_STATE_CHANGED, EventType.MAILBOX_STATE_CHANGED);
    }

    private final WebhookTargetConfig config;
    private final HttpClient http;
    private final Clock clock;
    private final WebhookSigner signer;
    private final WebhookPayload payload;
    private final String where;

    /** Without Intake's public URL: payloads carry no links to the ticket. */
    public WebhookTarget(WebhookTargetConfig config, HttpClient http, Clock clock) {
        this(config, http, clock, Optional.empty());
    }

    /** @param publicUrl {@code server.public-url}, for the ticket's links in the payload ({@code url}, {@code apiUrl}) */
    public WebhookTarget(WebhookTargetConfig config, HttpClient http, Clock clock, URI publicUrl) {
        this(config, http, clock, Optional.of(publicUrl));
    }

    private WebhookTarget(WebhookTargetConfig config, HttpClient http, Clock clock, Optional<URI> publicUrl) {
        this.config = config;
        this.http = http;
        this.clock = clock;
        this.signer = new WebhookSigner(config.secret());
        this.payload = new WebhookPayload(publicUrl);
        URI url = config.url();
        // The path is left out of every message: a webhook URL's path often carries a token of its own.
        this.where = "webhook '" + config.name() + "' (" + url.getScheme() + "://" + url.getHost()
                + (url.getPort() < 0 ? "" : ":" + url.getPort()) + ")";
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The events of its {@code events} (all when it names none); never attachments. */
    @Override
    public boolean accepts(ItemKind kind) {
        EventType event = EVENT_OF_KIND.get(kind);
        return event != null && sends(event.wireName());
    }

    private boolean sends(String eventType) {
        return config.events().isEmpty() || config.events().contains(eventType);
    }

    @Override
    public Delivered deliver(Delivery delivery) throws DeliveryFailure {
        WebhookPayload.Event event = WebhookPayload.eventOf(delivery).orElseThrow(() ->
                new DeliveryFailure(Kind.REJECTED, where + " takes no " + delivery.kind().name().toLowerCase(
                        java.util.Locale.ROOT) + " items; Skip this one"));
        if (!sends(event.type())) {
            throw new DeliveryFailure(Kind.REJECTED, where + " no longer takes " + event.type() + " events (its events"
                    + " are " + String.join(", ", config.events()) + "); Skip this one, or add the event to the target");
        }
        String id = delivery.deliveryId();
        byte[] body = payload.body(event);
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Intake-Webhooks/1")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signer.sign(id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = send(request);
        int status = response.statusCode();
        String answer = readStart(response);
        LOG.debug("{} answered {} to {} {}", where, status, event.type(), id);
        if (status >= 200 && status < 300) {
            return new Delivered(id, Optional.empty());
        }
        throw WebhookAnswers.failure(status, where, response.headers().firstValue("Retry-After"),
                response.headers().firstValue("Location"), answer, clock);
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws DeliveryFailure {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new DeliveryFailure(Kind.RETRY, where + " could not be reached within " + config.timeout().toSeconds()
                    + "s; trying again later", Optional.empty(), e);
        } catch (HttpTimeoutException e) {
            // Sent, perhaps received: the next attempt carries the same webhook-id, which the receiver drops if it has it.
            throw new DeliveryFailure(Kind.UNCERTAIN, where + " did not answer within " + config.timeout().toSeconds()
                    + "s; the event may have arrived, and is sent again with the same webhook-id (receivers drop"
                    + " the repeat)", Optional.empty(), e);
        } catch (ConnectException e) {
            throw new DeliveryFailure(Kind.RETRY, where + " refused the connection or could not be reached; trying"
                    + " again later", Optional.empty(), e);
        } catch (SSLHandshakeException e) {
            throw new DeliveryFailure(Kind.UNAUTHORIZED, where + ": the TLS handshake failed (" + e.getMessage()
                    + "); if the receiver's certificate comes from a private CA, add that CA to tls.truststore",
                    Optional.empty(), e);
        } catch (IOException e) {
            throw new DeliveryFailure(Kind.UNCERTAIN, where + ": the connection failed while sending ("
                    + e.getClass().getSimpleName() + "); the event may have arrived, and is sent again with the same"
                    + " webhook-id", Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure(Kind.UNCERTAIN, where + ": sending was interrupted (the node is stopping); it is"
                    + " sent again with the same webhook-id", Optional.empty(), e);
        }
    }

    /** The start of the answer's body, for a failure's message; the rest is drained and dropped. */
    private static String readStart(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return new String(in.readNBytes(READ_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
