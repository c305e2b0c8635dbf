package dev.intake.app.web;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import dev.intake.app.apiclient.ApiTokens;
import dev.intake.app.apiclient.AuthorizationRefusedException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authorization endpoint (RFC 6749 §4.1 with PKCE, RFC 7636): an application sends the admin's browser here, the
 * admin (signed in, as for every page) sees which client asks for which scopes and consents or declines, and the
 * browser goes back to the client's exact redirect URI with a code or an error. The request is read by the Nimbus
 * SDK; the consent form carries it back with the session's CSRF token.
 */
final class AuthorizeRoutes {

    static final String AUTHORIZE = "/oauth2/authorize";

    private final AdminUi ui;
    private final Pages pages;

    AuthorizeRoutes(AdminUi ui, Pages pages) {
        this.ui = ui;
        this.pages = pages;
    }

    void register(RoutesConfig routes) {
        routes.get(AUTHORIZE, ctx -> handle(ctx, ctx.queryParamMap(), false));
        routes.post(AUTHORIZE, ctx -> handle(ctx, ctx.formParamMap(), true));
    }

    private void handle(Context ctx, Map<String, List<String>> params, boolean decided) {
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(params);
        } catch (ParseException e) {
            refusePage(ctx, "The application's request is not a valid OAuth 2.0 authorization request: " + e.getMessage());
            return;
        }
        String redirectUri = request.getRedirectionURI() == null ? null : request.getRedirectionURI().toString();
        ApiTokens.Consent consent;
        try {
            consent = ui.apiTokens().checkAuthorizationRequest(request.getClientID().getValue(), redirectUri,
                    ResponseType.CODE.equals(request.getResponseType()),
                    request.getScope() == null ? Set.of() : Set.copyOf(request.getScope().toStringList()),
                    Optional.ofNullable(request.getCodeChallenge()).map(c -> c.getValue()),
                    Optional.ofNullable(request.getCodeChallengeMethod()).map(m -> m.getValue()));
        } catch (AuthorizationRefusedException e) {
            if (!e.redirectable()) {
                refusePage(ctx, e.getMessage());
                return;
            }
            redirect(ctx, new AuthorizationErrorResponse(request.getRedirectionURI(),
                    new ErrorObject(e.error(), e.getMessage()), request.getState(), null).toURI());
            return;
        }
        if (!decided) {
            Map<String, Object> model = PageModel.of(ctx, "clients");
            model.put("client", consent.client().name());
            model.put("clientId", consent.client().clientId());
            model.put("redirectHost", request.getRedirectionURI().getHost());
            model.put("scopes", consent.scopes().stream().sorted().map(s -> Map.of("name", s.wireName(),
                    "description", s.description())).toList());
            model.put("params", params.entrySet().stream().filter(e -> !e.getKey().equals(AccessControl.CSRF_FIELD))
                    .map(e -> Map.of("name", e.getKey(), "value", e.getValue().isEmpty() ? "" : e.getValue().get(0))).toList());
            ctx.header("Cache-Control", "no-store");
            pages.respond(ctx, 200, "consent", model);
            return;
        }
        if (!"approve".equals(ctx.formParam("decision"))) {
            redirect(ctx, new AuthorizationErrorResponse(request.getRedirectionURI(),
                    new ErrorObject("access_denied", "The Intake admin declined."), request.getState(), null).toURI());
            return;
        }
        String admin = AccessControl.session(ctx).username();
        String code = ui.apiTokens().issueCode(consent, admin, redirectUri, request.getCodeChallenge().getValue()).reveal();
        redirect(ctx, new AuthorizationSuccessResponse(request.getRedirectionURI(), new AuthorizationCode(code), null,
                request.getState(), null).toURI());
    }

    private static void redirect(Context ctx, URI to) {
        ctx.header("Cache-Control", "no-store");
        ctx.redirect(to.toString(), HttpStatus.SEE_OTHER);
    }

    private void refusePage(Context ctx, String explanation) {
        pages.respond(ctx, 400, "result", Map.of("ok", false, "title", "This authorization request was refused",
                "explanation", explanation + " Nothing was granted. Tell the application's administrator."));
    }
}
