package dev.intake.provider;

import java.util.Optional;

/**
 * The outcome of a redeemed code.
 *
 * @param account     the signed-in account's address, lower case, from the ID token
 * @param accessToken the access token issued with the grant, when the provider issued one
 */
public record AuthorizedGrant(Grant grant, String account, Optional<AccessToken> accessToken) {
}
