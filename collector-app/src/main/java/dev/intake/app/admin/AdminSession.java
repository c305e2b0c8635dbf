package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.time.Instant;

/**
 * A signed-in admin.
 *
 * @param id        the session id the browser holds in its cookie (only its hash is stored)
 * @param csrfToken the token every state-changing request of this session must carry; derived from the id, so it
 *                  is stored nowhere
 */
public record AdminSession(String username, Secret id, Secret csrfToken, Instant createdAt, Instant expiresAt) {
}
