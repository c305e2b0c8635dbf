package dev.intake.provider.google;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.UrlEncodedContent;
import com.google.api.client.json.GenericJson;
import com.google.api.client.json.JsonFactory;
import com.google.api.client.json.gson.GsonFactory;
import com.google.auth.http.HttpTransportFactory;
import dev.intake.config.Secret;
import dev.intake.provider.ProviderException;
import dev.intake.provider.TransientProviderException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The two token requests Intake makes to Google (code redemption, refresh), sent with google-http-client, the HTTP
 * stack google-auth-library itself uses. google-auth-library's own calls
 * ({@code UserAuthorizer.getTokenResponseFromAuthCodeExchange}, {@code UserCredentials.refreshAccessToken}) drop
 * the {@code id_token} that names the signed-in account and any new {@code refresh_token} a refresh returns; Intake
 * needs both, so it reads the answer itself.
 */
final class GoogleTokenEndpoint {

    /** A successful answer. {@link #toString()} shows no token. */
    record Answer(Secret accessToken, long expiresInSeconds, Optional<Secret> refreshToken, Optional<String> idToken) {

        @Override
        public String toString() {
            return "Answer[expiresIn=" + expiresInSeconds + "s, refreshToken=" + refreshToken.isPresent()
                    + ", idToken=" + idToken.isPresent() + "]";
        }
    }

    private static final JsonFactory JSON = GsonFactory.getDefaultInstance();
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    private final URI tokenUri;
    private final HttpTransportFactory transports;
    private final String clientId;
    private final Secret clientSecret;
    private final GoogleErrors errors;

    GoogleTokenEndpoint(URI tokenUri, HttpTransportFactory transports, String clientId, Secret clientSecret,
                        GoogleErrors errors) {
        this.tokenUri = tokenUri;
        this.transports = transports;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.errors = errors;
    }

    Answer redeem(Secret code, URI redirectUri, Secret codeVerifier) throws ProviderException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code.reveal());
        form.put("redirect_uri", redirectUri.toString());
        form.put("code_verifier", codeVerifier.reveal());
        return post(form, GoogleErrors.Flow.REDEEM);
    }

    Answer refresh(Secret refreshToken) throws ProviderException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.reveal());
        return post(form, GoogleErrors.Flow.REFRESH);
    }

    private Answer post(Map<String, String> form, GoogleErrors.Flow flow) throws ProviderException {
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret.reveal());
        int status;
        String body;
        try {
            HttpRequest request = transports.create().createRequestFactory()
                    .buildPostRequest(new GenericUrl(tokenUri), new UrlEncodedContent(form));
            // google-http-client would log the form, secrets included, when its logger is at CONFIG
            request.setLoggingEnabled(false);
            request.setCurlLoggingEnabled(false);
            request.setThrowExceptionOnExecuteError(false);
            request.setConnectTimeout(CONNECT_TIMEOUT_MS);
            request.setReadTimeout(READ_TIMEOUT_MS);
            request.getHeaders().setAccept("application/json");
            HttpResponse response = request.execute();
            try {
                status = response.getStatusCode();
                body = response.parseAsString();
            } finally {
                response.disconnect();
            }
        } catch (IOException e) {
            throw errors.fromIo(e);
        }
        GenericJson json = parse(body);
        if (status != 200) {
            throw errors.fromResponse(flow, status, text(json, "error"), text(json, "error_description"));
        }
        String accessToken = text(json, "access_token");
        if (accessToken == null || accessToken.isEmpty()) {
            throw new TransientProviderException("no_access_token",
                    "Google's token endpoint answered without an access token. Intake will try again.");
        }
        return new Answer(Secret.of(accessToken), number(json, "expires_in", 3600),
                Optional.ofNullable(text(json, "refresh_token")).filter(s -> !s.isEmpty()).map(Secret::of),
                Optional.ofNullable(text(json, "id_token")).filter(s -> !s.isEmpty()));
    }

    /** An empty object for a body that is not JSON (an HTML error page from a proxy, say). */
    private static GenericJson parse(String body) {
        try {
            GenericJson json = JSON.fromString(body, GenericJson.class);
            return json == null ? new GenericJson() : json;
        } catch (IOException | IllegalArgumentException e) {
            return new GenericJson();
        }
    }

    private static String text(GenericJson json, String name) {
        Object value = json.get(name);
        return value == null ? null : value.toString();
    }

    private static long number(GenericJson json, String name, long fallback) {
        Object value = json.get(name);
        if (value instanceof BigDecimal decimal) {
            return decimal.longValue();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return value == null ? fallback : Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
