package dev.intake.config;

import java.util.Optional;

/**
 * What a ticket created in GLPI is filed under, as GLPI's own mail collector sets it from its receiver's rules.
 *
 * @param entity      the GLPI entity id; empty: the entity of the API user's active profile
 * @param type        GLPI's ticket type: 1 incident, 2 request
 * @param urgency     1 (very low) to 5 (very high)
 * @param category    an ITIL category id, if any
 * @param requestType GLPI's request source ({@code requesttypes_id}, "E-Mail" on a default install); empty: GLPI's default
 */
public record GlpiTicketFields(Optional<Long> entity, int type, int urgency, Optional<Long> category,
        Optional<Long> requestType) {

    public static GlpiTicketFields defaults() {
        return new GlpiTicketFields(Optional.empty(), 1, 3, Optional.empty(), Optional.empty());
    }
}
