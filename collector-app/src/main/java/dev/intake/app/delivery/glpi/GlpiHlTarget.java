package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.intake.app.delivery.Delivered;
import dev.intake.app.delivery.Delivery;
import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.Ticket;
import dev.intake.config.GlpiTargetConfig;
import dev.intake.config.GlpiTicketFields;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to GLPI 11's high-level API ({@code type: glpi}): a ticket becomes an {@code Assistance/Ticket}, a followup
 * a timeline followup of it, an attachment a {@code Management/Document} linked to it through the ticket's timeline.
 *
 * <p>The API's contract as read in GLPI's source, {@code glpi-project/glpi}: {@code src/Glpi/Api/HL/Controller/
 * ITILController.php} at e934661da8fb (ticket schema: {@code name}, {@code content}, {@code type}, {@code urgency},
 * {@code entity}, {@code category}, {@code request_type}; {@code /Assistance/Ticket/{id}/Timeline/Followup|Document};
 * {@code /TeamMember} with a numeric role), {@code ManagementController.php} at 6e2cc4c861a8 (the {@code Document} and
 * {@code Document_Item} schemas), {@code AdministrationController.php} and {@code ResourceAccessor.php} at 319456a70ae3
 * (users' {@code emails}; only schema properties are written, a dropdown by its id; a create answers
 * {@code {"id", "href"}} with a Location header), {@code AbstractController.php} (error bodies {@code status},
 * {@code title}, {@code detail}, {@code additional_messages}), {@code CoreController::token} ({@code POST /api.php/token},
 * league/oauth2-server), {@code RSQL/Lexer.php} (filters), {@code FileUpload/FileManager.php} and
 * {@code Middleware/MultipartFormDataRequestMiddleware.php} at b3868229 (a document's file is the multipart part
 * {@code file}); and glpi_utils' documentation (password grant, {@code api} scope, paths).
 *
 * <p>Exactly once: every item carries {@link GlpiContent#marker its delivery id} where GLPI keeps it (the ticket's and
 * followup's text, the document's comment). An attempt after an uncertain one looks the item up by it first: tickets
 * by content, followups in the remote ticket's timeline, documents by comment; a document found but not linked is
 * linked. A ticket created whose requester could not be set is finished the same way.
 */
public final class GlpiHlTarget extends GlpiItemTarget {

    private static final Logger log = LoggerFactory.getLogger(GlpiHlTarget.class);

    private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]+)$");

    private final GlpiTargetConfig config;
    private final String root;
    private final GlpiHlApi api;
    private final GlpiHlPeople people;

    public GlpiHlTarget(GlpiTargetConfig config, HttpClient http, Clock clock) {
        this.config = config;
        this.root = config.url().toString().replaceAll("/+$", "");
        GlpiHlErrors errors = new GlpiHlErrors(config.name(), config.clientSecret(), config.password());
        GlpiHlTokens tokens = new GlpiHlTokens(config, URI.create(root + "/api.php/token"), http, clock, errors);
        this.api = new GlpiHlApi(URI.create(root + "/api.php/v2"), http, config.timeout(), clock, tokens, errors);
        this.people = new GlpiHlPeople(api, clock);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    Delivered ticket(Delivery.NewTicket delivery) throws DeliveryFailure {
        Ticket ticket = delivery.ticket();
        String marker = GlpiContent.marker(delivery.deliveryId());
        Optional<Long> requester = requesterOf(ticket.requester());
        if (delivery.maybeSentBefore()) {
            Optional<Long> found = first(api.get("/Assistance/Ticket"
                    + GlpiHlFilter.query(GlpiHlFilter.contains("content", marker), 2),
                    "looking for the ticket an earlier attempt may have created"));
            if (found.isPresent()) {
                log.info("GLPI target {}: Intake ticket #{} was already delivered as GLPI ticket {}", config.name(),
                        ticket.number(), found.get());
                if (requester.isPresent() && !people.isRequester(found.get(), requester.get())) {
                    people.addRequester(found.get(), requester.get());
                }
                return ticketDelivered(found.get());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", GlpiContent.title(ticket));
        body.put("content", unknownSenderLine(ticket.requester(), requester)
                + GlpiContent.ticketContent(ticket, delivery.deliveryId()));
        GlpiTicketFields fields = config.fields();
        body.put("type", fields.type());
        body.put("urgency", fields.urgency());
        fields.entity().ifPresent(entity -> body.put("entity", entity));
        fields.category().ifPresent(category -> body.put("category", category));
        fields.requestType().ifPresent(requestType -> body.put("request_type", requestType));
        long id = idOf(api.post("/Assistance/Ticket", body, "creating the GLPI ticket of Intake ticket #"
                + ticket.number()), "ticket");
        if (requester.isPresent()) {
            try {
                people.addRequester(id, requester.get());
            } catch (DeliveryFailure e) {
                if (e.kind() != DeliveryFailure.Kind.REJECTED) {
                    throw new DeliveryFailure(DeliveryFailure.Kind.UNCERTAIN, e.getMessage() + " GLPI ticket " + id
                            + " exists; the next attempt finds it and sets its requester.", e.retryAfter(), null);
                }
                // a ticket without its requester beats a dead letter; the sender is in the text and the log says why
                log.warn("GLPI target {}: GLPI ticket {} was created but its requester was not set: {}",
                        config.name(), id, e.getMessage());
            }
        }
        log.info("GLPI target {}: Intake ticket #{} delivered as GLPI ticket {}", config.name(), ticket.number(), id);
        return ticketDelivered(id);
    }

    @Override
    Delivered followup(Delivery.NewFollowup delivery) throws DeliveryFailure {
        long ticketId = remoteId(delivery.remoteTicketId(), "ticket");
        String path = "/Assistance/Ticket/" + ticketId + "/Timeline/Followup";
        if (delivery.maybeSentBefore()) {
            Optional<Long> found = first(api.get(path + GlpiHlFilter.query(GlpiHlFilter.contains("content",
                    GlpiContent.marker(delivery.deliveryId())), 2),
                    "looking for the followup an earlier attempt may have added to GLPI ticket " + ticketId));
            if (found.isPresent()) {
                return new Delivered(String.valueOf(found.get()), Optional.of(ticketUrl(ticketId)));
            }
        }
        Ticket.Followup followup = delivery.followup();
        Optional<Long> author = requesterOf(followup.from());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("content", unknownSenderLine(followup.from(), author)
                + GlpiContent.followupContent(delivery.ticket(), followup, delivery.deliveryId()));
        body.put("is_private", false);
        // GLPI's mail collector writes a followup as its sender when GLPI knows them
        author.ifPresent(user -> body.put("user", user));
        config.fields().requestType().ifPresent(requestType -> body.put("request_type", requestType));
        long id = idOf(api.post(path, body, "adding a followup to GLPI ticket " + ticketId), "followup");
        return new Delivered(String.valueOf(id), Optional.of(ticketUrl(ticketId)));
    }

    @Override
    Delivered attachment(Delivery.NewAttachment delivery) throws DeliveryFailure {
        long ticketId = remoteId(delivery.remoteTicketId(), "ticket");
        String marker = GlpiContent.marker(delivery.deliveryId());
        Ticket.AttachmentInfo attachment = delivery.attachment();
        String what = "attachment " + attachment.fileName() + " of GLPI ticket " + ticketId;
        if (delivery.maybeSentBefore()) {
            Optional<Long> found = first(api.get("/Management/Document"
                    + GlpiHlFilter.query(GlpiHlFilter.contains("comment", marker), 2),
                    "looking for the document an earlier attempt may have uploaded for " + what));
            if (found.isPresent()) {
                if (!isLinked(ticketId, found.get())) {
                    link(ticketId, found.get(), what);
                }
                return documentDelivered(found.get());
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", attachment.fileName());
        fields.put("comment", "Collected by Intake with ticket #" + delivery.ticket().number() + " (" + marker + ")");
        config.fields().entity().ifPresent(entity -> fields.put("entity", String.valueOf(entity)));
        GlpiHlMultipart form = new GlpiHlMultipart(fields, "file", uploadName(attachment), attachment.contentType(),
                delivery.content());
        long documentId = idOf(api.postMultipart("/Management/Document", form, "uploading " + what), "document");
        link(ticketId, documentId, what);
        return documentDelivered(documentId);
    }

    private void link(long ticketId, long documentId, String what) throws DeliveryFailure {
        try {
            api.post("/Assistance/Ticket/" + ticketId + "/Timeline/Document", Map.of("documents_id", documentId),
                    "linking GLPI document " + documentId + " (" + what + ")");
        } catch (DeliveryFailure e) {
            // the document exists: whatever refused the link, the next attempt must find it rather than upload again
            throw new DeliveryFailure(DeliveryFailure.Kind.UNCERTAIN, e.getMessage() + " GLPI document " + documentId
                    + " is uploaded; the next attempt finds it and links it.", e.retryAfter(), null);
        }
    }

    private boolean isLinked(long ticketId, long documentId) throws DeliveryFailure {
        // listed whole: a filter naming documents_id would read as a single-item request to GLPI (it looks for "id==")
        GlpiHlExchange.Answer answer = api.get("/Assistance/Ticket/" + ticketId + "/Timeline/Document",
                "reading the documents of GLPI ticket " + ticketId);
        for (JsonNode link : items(answer.body())) {
            if (link.path("documents_id").asLong(-1) == documentId) {
                return true;
            }
        }
        return false;
    }

    private Optional<Long> requesterOf(Optional<Person> person) throws DeliveryFailure {
        return person.isPresent() ? people.userFor(person.get()) : Optional.empty();
    }

    private static String unknownSenderLine(Optional<Person> person, Optional<Long> user) {
        return person.isPresent() && user.isEmpty() ? GlpiHlPeople.unknownSender(person.get()) : "";
    }

    /**
     * GLPI stores a document only under an extension of letters and digits ({@code FileManager::uploadFile}); a file
     * without one is given one from its type, so that GLPI's document types decide, not the file's name.
     */
    static String uploadName(Ticket.AttachmentInfo attachment) {
        String name = attachment.fileName().strip().isEmpty() ? "attachment" : attachment.fileName().strip();
        if (EXTENSION.matcher(name).find()) {
            return name;
        }
        String type = attachment.contentType().toLowerCase(Locale.ROOT);
        String extension = type.startsWith("text/plain") ? "txt"
                : type.startsWith("text/html") ? "html"
                : type.startsWith("application/pdf") ? "pdf"
                : type.startsWith("image/png") ? "png"
                : type.startsWith("image/jpeg") ? "jpg"
                : type.startsWith("image/gif") ? "gif"
                : type.startsWith("message/rfc822") ? "eml"
                : "bin";
        return name + "." + extension;
    }

    /** The elements of a list answer: search routes list items, timeline routes wrap each as {@code {type, item}}. */
    static List<JsonNode> items(JsonNode body) {
        List<JsonNode> out = new ArrayList<>();
        if (body.isArray()) {
            for (JsonNode element : body) {
                out.add(element.has("item") && element.path("item").isObject() ? element.path("item") : element);
            }
        } else if (body.isObject() && body.has("id")) {
            out.add(body);
        }
        return out;
    }

    private static Optional<Long> first(GlpiHlExchange.Answer answer) {
        for (JsonNode item : items(answer.body())) {
            if (item.path("id").canConvertToLong()) {
                return Optional.of(item.path("id").asLong());
            }
        }
        return Optional.empty();
    }

    private long idOf(GlpiHlExchange.Answer answer, String what) throws DeliveryFailure {
        if (answer.body().path("id").canConvertToLong()) {
            return answer.body().path("id").asLong();
        }
        Optional<String> location = answer.headers().firstValue("Location");
        if (location.isPresent()) {
            Matcher id = Pattern.compile("/(\\d+)/?$").matcher(location.get());
            if (id.find()) {
                return Long.parseLong(id.group(1));
            }
        }
        throw new DeliveryFailure(DeliveryFailure.Kind.UNCERTAIN, "GLPI target " + config.name() + ": GLPI accepted the "
                + what + " (" + answer.status() + ") but did not say its id; the next attempt looks for it by its "
                + "delivery id.");
    }

    private long remoteId(String remote, String what) throws DeliveryFailure {
        try {
            return Long.parseLong(remote.strip());
        } catch (NumberFormatException e) {
            throw new DeliveryFailure(DeliveryFailure.Kind.REJECTED, "GLPI target " + config.name() + ": the remote "
                    + what + " id '" + remote + "' is not a GLPI id; was this ticket delivered by another target type?");
        }
    }

    private Delivered ticketDelivered(long id) {
        return new Delivered(String.valueOf(id), Optional.of(ticketUrl(id)));
    }

    private Delivered documentDelivered(long id) {
        return new Delivered(String.valueOf(id), Optional.of(root + "/front/document.form.php?id=" + id));
    }

    private String ticketUrl(long id) {
        return root + "/front/ticket.form.php?id=" + id;
    }
}
