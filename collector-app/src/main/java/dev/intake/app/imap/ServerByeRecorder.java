package dev.intake.app.imap;

import java.util.Optional;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseHandler;

/**
 * Remembers the first BYE the server itself sent on a folder's connection.
 *
 * <p>Why: Angus loses the server's text on some paths. A BYE that arrives while a message body streams surfaces as
 * a plain IOException about the NOOP Angus sends afterwards, so Microsoft's {@code AccessTokenExpired} would be gone
 * by the time the failure is classified. Angus's own synthetic BYEs (for a broken socket) are ignored here; they
 * show up in the exception anyway.
 */
final class ServerByeRecorder implements ResponseHandler {

    private volatile String bye;

    @Override
    public void handleResponse(Response response) {
        if (bye == null && response.isBYE() && !response.isSynthetic()) {
            bye = response.toString();
        }
    }

    Optional<String> bye() {
        return Optional.ofNullable(bye);
    }
}
