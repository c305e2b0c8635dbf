package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.ticket.Person;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.nodes.Entities;

/**
 * Who a mail's sender is in GLPI, found the way GLPI's own mail collector finds a requester: the active GLPI user one
 * of whose email addresses is the sender's ({@code GET /Administration/User?filter=emails.email==...}). A matched user
 * becomes the ticket's requester through the ticket's team ({@code POST /Assistance/Ticket/{id}/TeamMember}, role
 * requester). GLPI's mail collector keeps an unmatched sender as the requester's "alternative email", but the
 * high-level API has no field for it (a team member is a user, group or supplier id), so the sender is written at the
 * top of the ticket's text instead, where the technician sees whom to answer.
 */
final class GlpiHlPeople {

    /** GLPI's {@code CommonITILActor::REQUESTER}: the team route stores the role it is given as is. */
    static final int ROLE_REQUESTER = 1;

    /** A sender's match is reused this long: a busy mailbox's regulars are looked up once, a new user soon seen. */
    private static final Duration REMEMBER = Duration.ofMinutes(10);

    private static final Pattern USER_HREF = Pattern.compile("user\\.form\\.php\\?(?:.*&)?id=(\\d+)");

    private record Known(Optional<Long> user, Instant until) {
    }

    private final GlpiHlApi api;
    private final Clock clock;
    private final Map<String, Known> known = new LinkedHashMap<>();

    GlpiHlPeople(GlpiHlApi api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** The active GLPI user with this address, if there is exactly one such user or a first one GLPI lists. */
    Optional<Long> userFor(Person person) throws DeliveryFailure {
        String address = person.address().strip().toLowerCase(Locale.ROOT);
        Known cached = known.get(address);
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return cached.user();
        }
        GlpiHlExchange.Answer answer = api.get("/Administration/User"
                + GlpiHlFilter.query(GlpiHlFilter.equalTo("emails.email", address), 10),
                "looking up the GLPI user with the address of the mail's sender");
        Optional<Long> user = Optional.empty();
        for (JsonNode candidate : GlpiHlTarget.items(answer.body())) {
            if (candidate.path("is_active").asBoolean(true) && !candidate.path("is_deleted").asBoolean(false)
                    && hasAddress(candidate, address) && candidate.path("id").canConvertToLong()) {
                user = Optional.of(candidate.path("id").asLong());
                break;
            }
        }
        if (known.size() > 10_000) {
            known.clear();
        }
        known.put(address, new Known(user, clock.instant().plus(REMEMBER)));
        return user;
    }

    void addRequester(long ticketId, long userId) throws DeliveryFailure {
        api.post("/Assistance/Ticket/" + ticketId + "/TeamMember",
                Map.of("type", "User", "id", userId, "role", ROLE_REQUESTER),
                "setting GLPI user " + userId + " as the requester of GLPI ticket " + ticketId);
    }

    boolean isRequester(long ticketId, long userId) throws DeliveryFailure {
        GlpiHlExchange.Answer answer = api.get("/Assistance/Ticket/" + ticketId + "/TeamMember",
                "reading the team of GLPI ticket " + ticketId);
        for (JsonNode member : GlpiHlTarget.items(answer.body())) {
            Matcher href = USER_HREF.matcher(member.path("href").asText(""));
            boolean requester = "requester".equals(member.path("role").asText())
                    || member.path("role").asInt(0) == ROLE_REQUESTER;
            if (requester && href.find() && Long.parseLong(href.group(1)) == userId) {
                return true;
            }
        }
        return false;
    }

    /** The line naming a sender GLPI does not know, put first in the ticket's or followup's text. */
    static String unknownSender(Person person) {
        String who = person.name().filter(n -> !n.isBlank())
                .map(n -> Entities.escape(n) + " &lt;" + Entities.escape(person.address()) + "&gt;")
                .orElse(Entities.escape(person.address()));
        return "<p><strong>From:</strong> " + who + " (no GLPI user has this address)</p>";
    }

    private static boolean hasAddress(JsonNode user, String address) {
        JsonNode emails = user.path("emails");
        if (!emails.isArray() || emails.isEmpty()) {
            return true; // GLPI filtered on it; an answer without the list is taken at its word
        }
        for (JsonNode email : emails) {
            String value = email.isTextual() ? email.asText() : email.path("email").asText("");
            if (value.strip().equalsIgnoreCase(address)) {
                return true;
            }
        }
        return false;
    }
}
