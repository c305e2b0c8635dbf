package dev.intake.app.web;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import dev.intake.app.apiclient.ApiClient;
import dev.intake.app.apiclient.GrantType;
import dev.intake.app.apiclient.IssuedToken;
import dev.intake.app.apiclient.OAuthRefusedException;
import dev.intake.app.apiclient.Scope;
import dev.intake.app.apiclient.TokenInfo;
import dev.intake.config.Secret;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Intake as an OAuth 2.0 authorization server for its own API: the token endpoint (client credentials, RFC 6749
 * §4.4), introspection (RFC 7662), revocation (RFC 7009) and the server's metadata (RFC 8414). Requests are read by
 * the Nimbus OAuth 2.0 SDK (client authentication by Basic or form, grant, scope), errors answered as RFC 6749 §5.2
 * JSON. Clients authenticate themselves here, so these routes pass the admin gate.
 */
final class OAuthServerRoutes {

    static final String TOKEN = "/oauth2/token";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String REVOKE = "/oauth2/revoke";
    static final String METADATA = "/.well-known/oauth-authorization-server";

    private final AdminUi ui;

    OAuthServerRoutes(AdminUi ui) {
        this.ui = ui;
    }

    void register(RoutesConfig routes) {
        routes.post(TOKEN, this::token);
        routes.post(INTROSPECT, this::introspect);
        routes.post(REVOKE, this::revoke);
        routes.get(METADATA, this::metadata);
    }

    private void token(Context ctx) {
        Optional<TokenRequest> read = read(ctx, TokenRequest::parse);
        if (read.isEmpty()) {
            return;
        }
        TokenRequest request = read.get();
        AuthorizationGrant grant = request.getAuthorizationGrant();
        if (grant instanceof ResourceOwnerPasswordCredentialsGrant) {
            error(ctx, OAuth2Error.UNSUPPORTED_GRANT_TYPE, "Intake has no password grant: it would hand an admin's "
                    + "password to another system (OAuth 2.0 Security BCP). Use client_credentials.");
            return;
        }
        if (!(grant instanceof ClientCredentialsGrant || grant instanceof AuthorizationCodeGrant
                || grant instanceof RefreshTokenGrant)) {
            error(ctx, OAuth2Error.UNSUPPORTED_GRANT_TYPE, "Intake issues tokens for the grants: "
                    + GrantType.names(Set.of(GrantType.values())) + " refresh_token");
            return;
        }
        Optional<Credentials> credentials = credentials(request.getClientAuthentication());
        if (credentials.isEmpty()) {
            unauthenticated(ctx);
            return;
        }
        Credentials c = credentials.get();
        try {
            IssuedToken issued;
            if (grant instanceof AuthorizationCodeGrant code) {
                issued = ui.apiTokens().redeemCode(c.id, c.secret, code.getAuthorizationCode().getValue(),
                        code.getRedirectionURI() == null ? null : code.getRedirectionURI().toString(),
                        code.getCodeVerifier() == null ? null : code.getCodeVerifier().getValue(), address(ctx));
            } else if (grant instanceof RefreshTokenGrant refresh) {
                issued = ui.apiTokens().refresh(c.id, c.secret, refresh.getRefreshToken().getValue(), address(ctx));
            } else {
                Optional<Set<String>> scopes = Optional.ofNullable(request.getScope()).map(s -> Set.copyOf(s.toStringList()));
                issued = ui.apiTokens().clientCredentials(c.id, c.secret, scopes, address(ctx));
            }
            BearerAccessToken token = new BearerAccessToken(issued.accessToken().reveal(), issued.lifetime().toSeconds(),
                    new com.nimbusds.oauth2.sdk.Scope(Scope.names(issued.scopes()).split(" ")));
            RefreshToken refreshToken = issued.refreshToken().map(r -> new RefreshToken(r.reveal())).orElse(null);
            respond(ctx, new AccessTokenResponse(new Tokens(token, refreshToken)).toHTTPResponse());
        } catch (OAuthRefusedException e) {
            refused(ctx, e);
        }
    }

    private void introspect(Context ctx) {
        Optional<TokenIntrospectionRequest> read = read(ctx, TokenIntrospectionRequest::parse);
        if (read.isEmpty()) {
            return;
        }
        TokenIntrospectionRequest request = read.get();
        Optional<ApiClient> client = authenticated(ctx, request.getClientAuthentication());
        if (client.isEmpty()) {
            return;
        }
        Optional<TokenInfo> info = ui.apiTokens().introspect(client.get(), request.getToken().getValue());
        TokenIntrospectionSuccessResponse.Builder answer = new TokenIntrospectionSuccessResponse.Builder(info.isPresent());
        info.ifPresent(i -> answer.clientID(new ClientID(i.clientId())).username(i.clientName())
                .scope(new com.nimbusds.oauth2.sdk.Scope(Scope.names(i.scopes()).split(" ")))
                .tokenType(AccessTokenType.BEARER).issueTime(Date.from(i.issuedAt())).expirationTime(Date.from(i.expiresAt())));
        respond(ctx, answer.build().toHTTPResponse());
    }

    private void revoke(Context ctx) {
        Optional<TokenRevocationRequest> read = read(ctx, TokenRevocationRequest::parse);
        if (read.isEmpty()) {
            return;
        }
        TokenRevocationRequest request = read.get();
        Optional<ApiClient> client = authenticated(ctx, request.getClientAuthentication());
        if (client.isEmpty()) {
            return;
        }
        ui.apiTokens().revoke(client.get(), request.getToken().getValue());
        ctx.status(200).header("Cache-Control", "no-store").result("");
    }

    /** RFC 8414: what a client library needs to find the endpoints. */
    private void metadata(Context ctx) {
        String base = base();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", base);
        m.put("authorization_endpoint", base + AuthorizeRoutes.AUTHORIZE);
        m.put("token_endpoint", base + TOKEN);
        m.put("introspection_endpoint", base + INTROSPECT);
        m.put("revocation_endpoint", base + REVOKE);
        List<String> grants = new java.util.ArrayList<>(Arrays.stream(GrantType.values()).map(GrantType::wireName).toList());
        grants.add("refresh_token");
        m.put("grant_types_supported", grants);
        m.put("scopes_supported", Arrays.stream(Scope.values()).map(Scope::wireName).toList());
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        m.put("response_types_supported", List.of("code"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("service_documentation", base + ApiRoutes.OPENAPI);
        ctx.json(m);
    }

    private String base() {
        String url = ui.config().get().server().publicUrl().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private Optional<ApiClient> authenticated(Context ctx, ClientAuthentication authentication) {
        Optional<Credentials> credentials = credentials(authentication);
        if (credentials.isEmpty()) {
            unauthenticated(ctx);
            return Optional.empty();
        }
        try {
            return Optional.of(ui.apiClients().authenticateClient(credentials.get().id, credentials.get().secret,
                    address(ctx)));
        } catch (OAuthRefusedException e) {
            refused(ctx, e);
            return Optional.empty();
        }
    }

    private record Credentials(String id, Secret secret) {
    }

    private static Optional<Credentials> credentials(ClientAuthentication authentication) {
        if (authentication instanceof ClientSecretBasic basic) {
            return Optional.of(new Credentials(basic.getClientID().getValue(), Secret.of(basic.getClientSecret().getValue())));
        }
        if (authentication instanceof ClientSecretPost post) {
            return Optional.of(new Credentials(post.getClientID().getValue(), Secret.of(post.getClientSecret().getValue())));
        }
        return Optional.empty();
    }

    String address(Context ctx) {
        return ClientAddress.of(ctx, ui.config().get().api().trustedProxies());
    }

    /** One of Nimbus' request parsers. */
    @FunctionalInterface
    private interface Parser<T> {
        T parse(HTTPRequest request) throws ParseException;
    }

    /** The request read by {@code parser}; empty when it cannot be, and then the RFC 6749 §5.2 error is answered. */
    private static <T> Optional<T> read(Context ctx, Parser<T> parser) {
        try {
            return Optional.of(parser.parse(nimbus(ctx)));
        } catch (ParseException e) {
            error(ctx, e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST, e.getMessage());
            return Optional.empty();
        }
    }

    /** The request as Nimbus reads it: method, URL, content type, Authorization and the form body. */
    private static HTTPRequest nimbus(Context ctx) throws ParseException {
        URI url;
        try {
            url = URI.create(ctx.fullUrl());
        } catch (IllegalArgumentException e) {
            // Jetty lets through query strings that java.net.URI refuses ('|', a lone '%'): a client's error, not ours.
            throw new ParseException("The request URL cannot be read; send the parameters in the form body, "
                    + "URL-encoded.");
        }
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.valueOf(ctx.req().getMethod()), url);
        String type = ctx.contentType();
        if (type != null) {
            request.setContentType(type);
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            request.setAuthorization(authorization);
        }
        request.setBody(ctx.body());
        return request;
    }

    private static void unauthenticated(Context ctx) {
        ctx.header("WWW-Authenticate", "Basic realm=\"intake\"");
        error(ctx, OAuth2Error.INVALID_CLIENT, "Authenticate the client with its id and secret: HTTP Basic, or the form "
                + "fields client_id and client_secret.");
    }

    private static void refused(Context ctx, OAuthRefusedException e) {
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"intake\"");
        }
        if (e.retryAfterSeconds() > 0) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        error(ctx, new ErrorObject(e.error(), null, e.status()), e.getMessage());
    }

    private static void error(Context ctx, ErrorObject error, String description) {
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        respond(ctx, new TokenErrorResponse(new ErrorObject(error.getCode(), legal(description), status)).toHTTPResponse());
    }

    /** RFC 6749 §5.2 allows only printable ASCII without '"' and '\' in error_description. */
    private static String legal(String description) {
        return description == null ? null : description.chars().filter(c -> c >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
                .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());
    }

    private static void respond(Context ctx, HTTPResponse response) {
        ctx.status(response.getStatusCode());
        Map<?, ?> headers = response.getHeaderMap();
        for (Map.Entry<?, ?> h : headers.entrySet()) {
            if (h.getValue() instanceof List<?> values) {
                values.forEach(v -> ctx.header(String.valueOf(h.getKey()), String.valueOf(v)));
            }
        }
        ctx.header("Cache-Control", "no-store");
        ctx.result(response.getBody() == null ? "" : response.getBody());
    }
}
