package dev.intake.provider;

import java.util.Optional;

/**
 * A fresh access token and, when the provider rotated the refresh token, the grant that replaces the stored
 * one. The caller stores a rotated grant before it uses the access token.
 */
public record TokenResponse(AccessToken accessToken, Optional<Grant> rotatedGrant) {
}
