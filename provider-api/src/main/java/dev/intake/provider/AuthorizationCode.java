package dev.intake.provider;

import dev.intake.config.Secret;
import java.net.URI;

/**
 * A code the provider sent to the callback, with what is needed to redeem it.
 *
 * @param redirectUri the same redirect URI the authorization request carried
 * @param codeVerifier the PKCE verifier of that authorization attempt
 */
public record AuthorizationCode(Secret code, URI redirectUri, Secret codeVerifier) {
}
