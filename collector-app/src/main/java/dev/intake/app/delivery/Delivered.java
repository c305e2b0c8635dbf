package dev.intake.app.delivery;

import java.util.Optional;

/**
 * What the target answered for a delivered item.
 *
 * @param remoteId  the target's id of the created item (GLPI's ticket, followup or document id; a webhook's
 *                  {@code webhook-id}); later items of the same ticket are sent with the ticket's
 * @param remoteUrl where a person sees it, when the target has such a page (a GLPI ticket's form)
 */
public record Delivered(String remoteId, Optional<String> remoteUrl) {
}
