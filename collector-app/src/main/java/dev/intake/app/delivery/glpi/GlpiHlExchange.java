package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.intake.app.delivery.DeliveryFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * One HTTP exchange with GLPI and what a failure to get an answer means for the item. A request that never left
 * (connection refused, no route, TLS refused) is {@link DeliveryFailure.Kind#RETRY RETRY}; one that left and got no
 * answer (a timeout while waiting, a connection lost) is {@link DeliveryFailure.Kind#UNCERTAIN UNCERTAIN} when it
 * creates something, since GLPI may have done it, and a plain RETRY when it only reads.
 */
final class GlpiHlExchange {

    static final ObjectMapper JSON = new ObjectMapper();

    /** An answer from GLPI: its status, its body as JSON when it was JSON ({@code MissingNode} otherwise), the raw text. */
    record Answer(int status, JsonNode body, String raw, HttpHeaders headers) {

        boolean isJson() {
            return !body.isMissingNode();
        }
    }

    private GlpiHlExchange() {
    }

    static Answer send(HttpClient http, HttpRequest request, boolean creates, String what, GlpiHlErrors errors)
            throws DeliveryFailure {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw errors.failure(DeliveryFailure.Kind.RETRY, "GLPI target " + errors.target() + ": " + what
                    + " failed: no connection to " + request.uri().getAuthority()
                    + " within the timeout. Intake retries; check that GLPI is up and reachable from this node.",
                    Optional.empty(), e);
        } catch (HttpTimeoutException e) {
            throw errors.failure(creates ? DeliveryFailure.Kind.UNCERTAIN : DeliveryFailure.Kind.RETRY,
                    "GLPI target " + errors.target() + ": " + what + " got no answer within "
                            + describe(request.timeout()) + (creates
                                    ? "; GLPI may have done it, so the next attempt looks for it before doing it again."
                                    : ". Intake retries; if GLPI is slow, raise the target's timeout."),
                    Optional.empty(), e);
        } catch (ConnectException | UnresolvedAddressException e) {
            throw errors.failure(DeliveryFailure.Kind.RETRY, "GLPI target " + errors.target() + ": " + what
                    + " failed: cannot connect to " + request.uri().getAuthority()
                    + " (connection refused or host unknown). Intake retries; check that GLPI is up and the url.",
                    Optional.empty(), e);
        } catch (SSLException e) {
            throw errors.failure(DeliveryFailure.Kind.RETRY, "GLPI target " + errors.target() + ": " + what
                    + " failed: TLS with " + request.uri().getAuthority()
                    + " failed. Check GLPI's certificate and that Intake's Java trusts it.", Optional.empty(), e);
        } catch (IOException e) {
            throw errors.failure(creates ? DeliveryFailure.Kind.UNCERTAIN : DeliveryFailure.Kind.RETRY,
                    "GLPI target " + errors.target() + ": " + what + " failed: the connection to "
                            + request.uri().getAuthority() + " was lost"
                            + (creates ? " after the request was sent; the next attempt looks for the item first."
                                    : ". Intake retries."),
                    Optional.empty(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw errors.failure(DeliveryFailure.Kind.UNCERTAIN, "GLPI target " + errors.target() + ": " + what
                    + " was interrupted (Intake stopping); the next attempt looks for the item first.",
                    Optional.empty(), e);
        }
        String raw = response.body() == null ? "" : response.body();
        return new Answer(response.statusCode(), parse(raw), raw, response.headers());
    }

    private static JsonNode parse(String raw) {
        if (raw.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(raw);
        } catch (IOException notJson) {
            // an HTML error page from a proxy or a PHP fatal error: the raw text is kept for the reason
            return MissingNode.getInstance();
        }
    }

    static String describe(Optional<Duration> timeout) {
        return timeout.map(t -> t.toMillis() % 1000 == 0 ? t.toSeconds() + " s" : t.toMillis() + " ms")
                .orElse("the timeout");
    }
}
