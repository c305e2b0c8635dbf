package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTicketFields;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to GLPI 9.5 / 10.0 through its legacy REST API ({@code type: glpi-legacy}): a ticket is
 * {@code POST Ticket}, a followup {@code POST ITILFollowup} on the ticket, an attachment a {@code Document} uploaded
 * with {@code multipart/form-data} ({@code uploadManifest} plus {@code filename[0]}) and linked to the ticket by the
 * manifest's {@code itemtype} / {@code items_id}, as GLPI's own forms do.
 *
 * <p>Contract followed: GLPI's {@code apirest.md} and {@code src/Api/API.php} / {@code src/Api/APIRest.php} of the
 * 10.0 branch (glpi-project/glpi, API.php at 04d12f8495ff, APIRest.php at 04ed007a1bed), which keep 9.5's endpoints,
 * error codes and statuses. The requester is set as GLPI's {@code MailCollector} sets it: the GLPI user whose email
 * the sender's address is ({@code _users_id_requester}), otherwise no user and the address as the requester's
 * alternative email ({@code _users_id_requester_notif}), so GLPI still notifies the sender.
 *
 * <p>Exactly once: every item carries {@link GlpiContent#marker} (tickets and followups in their content, documents in
 * their comment). An attempt that may follow one whose answer was lost ({@link Delivery#maybeSentBefore()}) first looks
 * for the item by that marker with {@code GET itemtype?searchText[field]=marker} and returns it when found.
 */
public final class GlpiLegacyTarget extends GlpiItemTarget {

    private static final Logger log = LoggerFactory.getLogger(GlpiLegacyTarget.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GlpiLegacyTargetConfig config;
    private final GlpiLegacyClient client;
    private final AtomicBoolean toldUserLookupRefused = new AtomicBoolean();

    public GlpiLegacyTarget(GlpiLegacyTargetConfig config, HttpClient http, Clock clock) {
        this.config = config;
        this.client = new GlpiLegacyClient(config, http, JSON, clock);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Ends the GLPI session ({@code killSession}); never throws. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    Delivered ticket(Delivery.NewTicket delivery) throws DeliveryFailure {
        String marker = GlpiContent.marker(delivery.deliveryId());
        if (delivery.maybeSentBefore()) {
            Optional<Long> earlier = findByMarker("Ticket/", "content", marker, "look for the ticket sent before");
            if (earlier.isPresent()) {
                return ticketDelivered(earlier.get());
            }
        }
        Ticket ticket = delivery.ticket();
        GlpiTicketFields fields = config.fields();
        ObjectNode input = JSON.createObjectNode()
                .put("name", GlpiContent.title(ticket))
                .put("content", GlpiContent.ticketContent(ticket, delivery.deliveryId()))
                .put("type", fields.type())
                .put("urgency", fields.urgency());
        fields.entity().ifPresent(entity -> input.put("entities_id", entity));
        fields.category().ifPresent(category -> input.put("itilcategories_id", category));
        fields.requestType().ifPresent(source -> input.put("requesttypes_id", source));
        requester(input, ticket.requester());
        String what = "create the ticket for Intake ticket #" + ticket.number();
        GlpiLegacyResponse answer = client.postJson("Ticket/", wrap(input), what);
        return ticketDelivered(created(answer, what));
    }

    @Override
    Delivered followup(Delivery.NewFollowup delivery) throws DeliveryFailure {
        long ticketId = remoteId(delivery.remoteTicketId());
        String marker = GlpiContent.marker(delivery.deliveryId());
        if (delivery.maybeSentBefore()) {
            Optional<Long> earlier = findByMarker("Ticket/" + ticketId + "/ITILFollowup/", "content", marker,
                    "look for the followup sent before");
            if (earlier.isPresent()) {
                return ticketDelivered(ticketId, earlier.get());
            }
        }
        ObjectNode input = JSON.createObjectNode()
                .put("itemtype", "Ticket")
                .put("items_id", ticketId)
                .put("content", GlpiContent.followupContent(delivery.ticket(), delivery.followup(),
                        delivery.deliveryId()))
                .put("is_private", 0);
        config.fields().requestType().ifPresent(source -> input.put("requesttypes_id", source));
        String what = "add a followup to GLPI ticket " + ticketId;
        GlpiLegacyResponse answer = client.postJson("ITILFollowup/", wrap(input), what);
        return ticketDelivered(ticketId, created(answer, what));
    }

    @Override
    Delivered attachment(Delivery.NewAttachment delivery) throws DeliveryFailure {
        long ticketId = remoteId(delivery.remoteTicketId());
        Ticket.AttachmentInfo file = delivery.attachment();
        String marker = GlpiContent.marker(delivery.deliveryId());
        if (delivery.maybeSentBefore()) {
            Optional<Long> earlier = findByMarker("Document/", "comment", marker, "look for the document sent before");
            if (earlier.isPresent()) {
                return documentDelivered(earlier.get());
            }
        }
        String fileName = file.fileName().isBlank() ? "attachment-" + file.id() : file.fileName();
        ObjectNode input = JSON.createObjectNode()
                .put("name", fileName)
                .put("comment", "Collected by Intake, ticket #" + delivery.ticket().number() + " (" + marker + ")")
                .put("itemtype", "Ticket")
                .put("items_id", ticketId);
        input.putArray("_filename").add(fileName);
        config.fields().entity().ifPresent(entity -> input.put("entities_id", entity));
        MultipartBody body = new MultipartBody()
                .field("uploadManifest", wrap(input).toString())
                .file("filename[0]", fileName, contentType(file.contentType()), delivery.content(), file.size());
        String what = "upload the attachment \"" + fileName + "\" to GLPI ticket " + ticketId;
        GlpiLegacyResponse answer = client.postMultipart("Document/", body, what);
        return documentDelivered(created(answer, what));
    }

    /**
     * Sets the requester as GLPI's mail collector does: a GLPI user with that email, or the address kept as the
     * requester's alternative email (GLPI notifies it) when no user has it.
     */
    private void requester(ObjectNode input, Optional<Person> requester) throws DeliveryFailure {
        if (requester.isEmpty() || requester.get().address().isBlank()) {
            return;
        }
        String address = requester.get().address().strip();
        Optional<Long> user = userByEmail(address);
        ObjectNode notification = input.putObject("_users_id_requester_notif");
        notification.putArray("use_notification").add(1);
        if (user.isPresent()) {
            input.put("_users_id_requester", user.get());
            notification.putArray("alternative_email").add("");
        } else {
            input.put("_users_id_requester", 0);
            notification.putArray("alternative_email").add(address);
        }
    }

    private Optional<Long> userByEmail(String address) throws DeliveryFailure {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("searchText[email]", address);
        query.put("range", "0-49");
        String what = "look up the GLPI user with the requester's email";
        GlpiLegacyResponse answer = client.get("UserEmail/", query, what);
        if (answer.errorCode().filter(code -> code.equals("ERROR_RIGHT_MISSING")).isPresent()) {
            // Without the right to read users the ticket can still go, with the sender as an alternative email
            if (toldUserLookupRefused.compareAndSet(false, true)) {
                log.warn("GLPI target {}: its GLPI user may not read users, so requesters are set by email only;"
                        + " give its profile the right to read users to have them matched", config.name());
            }
            return Optional.empty();
        }
        for (JsonNode row : rows(answer, what)) {
            if (row.path("email").asText("").strip().toLowerCase(Locale.ROOT)
                    .equals(address.toLowerCase(Locale.ROOT)) && row.path("users_id").asLong(0) > 0) {
                return Optional.of(row.path("users_id").asLong());
            }
        }
        return Optional.empty();
    }

    /** The item whose {@code field} contains {@code marker}, looked up with GLPI's {@code searchText} filter. */
    private Optional<Long> findByMarker(String path, String field, String marker, String what)
            throws DeliveryFailure {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("searchText[" + field + "]", marker);
        query.put("range", "0-9");
        for (JsonNode row : rows(client.get(path, query, what), what)) {
            // searchText is a LIKE; the marker is a UUID, so a row that contains it is the one
            if (row.path(field).asText("").contains(marker) && row.path("id").asLong(0) > 0) {
                return Optional.of(row.path("id").asLong());
            }
        }
        return Optional.empty();
    }

    private Iterable<JsonNode> rows(GlpiLegacyResponse answer, String what) throws DeliveryFailure {
        if (!answer.succeeded() || answer.errorCode().isPresent()) {
            // Some GLPI versions answer an error array with HTTP 200; a lookup must not read it as "not found"
            throw client.failures().of(answer, what, false);
        }
        if (!answer.body().isArray()) {
            throw new DeliveryFailure(Kind.RETRY, "GLPI (target " + config.name() + ") answered the request to " + what
                    + " with something other than a list; Intake tries again later. Check that the target's url is"
                    + " GLPI's root address.");
        }
        return answer.body();
    }

    private long created(GlpiLegacyResponse answer, String what) throws DeliveryFailure {
        if (!answer.succeeded()) {
            throw client.failures().of(answer, what, true);
        }
        return answer.createdId().orElseThrow(() -> new DeliveryFailure(Kind.UNCERTAIN, "GLPI (target "
                + config.name() + ") answered the request to " + what + " (HTTP " + answer.status()
                + ") without the new item's id; Intake looks for it before trying again."));
    }

    private long remoteId(String remoteTicketId) throws DeliveryFailure {
        if (remoteTicketId.matches("[0-9]{1,18}")) {
            return Long.parseLong(remoteTicketId);
        }
        throw new DeliveryFailure(Kind.REJECTED, "The ticket was delivered to GLPI target " + config.name()
                + " under the id \"" + remoteTicketId + "\", which is not a GLPI ticket id; Skip this item.");
    }

    private Delivered ticketDelivered(long ticketId) {
        return new Delivered(Long.toString(ticketId), Optional.of(client.formUrl("ticket", ticketId)));
    }

    private Delivered ticketDelivered(long ticketId, long followupId) {
        return new Delivered(Long.toString(followupId), Optional.of(client.formUrl("ticket", ticketId)));
    }

    private Delivered documentDelivered(long documentId) {
        return new Delivered(Long.toString(documentId), Optional.of(client.formUrl("document", documentId)));
    }

    private static ObjectNode wrap(ObjectNode input) {
        ObjectNode body = JSON.createObjectNode();
        body.set("input", input);
        return body;
    }

    /** The attachment's media type, unless it could break the part's header. */
    private static String contentType(String stored) {
        boolean safe = stored.matches("[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;[^\\r\\n]*)?");
        return safe ? stored : "application/octet-stream";
    }
}
