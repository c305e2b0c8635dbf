package dev.intake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GLPI 11's high-level API ({@code /api.php}) as Intake's GLPI target uses it, over HTTPS with the test kit's
 * localhost certificate, following the contract read in GLPI's source ({@code src/Glpi/Api/HL}: {@code CoreController}'s
 * OAuth token route, {@code ITILController}, {@code ManagementController}, {@code AdministrationController},
 * {@code ResourceAccessor}, {@code AbstractController}'s error bodies, the RSQL lexer):
 *
 * <ul>
 *   <li>{@code POST /api.php/token}: password and refresh token grants for a registered client; a wrong client is
 *       {@code 401 invalid_client}, a wrong password {@code 400 invalid_grant}, another scope than {@code api}
 *       {@code 400 invalid_scope}. Access tokens expire after {@link #tokenLifetime} by the given clock; an expired,
 *       revoked or unknown token gets 401 from every API route.</li>
 *   <li>Under {@code /api.php/v2} (or {@code v2.0}): users searched by {@code emails.email}; tickets created, read and
 *       searched ({@code content=like=}); team members with a numeric role; timeline followups and document links;
 *       documents uploaded as {@code multipart/form-data} with the file in the part {@code file} and searched by
 *       {@code comment}. A create answers 200 {@code {"id", "href"}} with a Location header, as GLPI does; errors carry
 *       GLPI's {@code status}, {@code title}, {@code detail}, {@code additional_messages}.</li>
 *   <li>Failures on demand: the next requests answered with a status ({@link #failNext}), every request 503
 *       ({@link #unavailable}), no listener at all ({@link #stop}/{@link #restart}), a create committed and then answered
 *       too late ({@link #answerLateAfterCommit}), a create refused for one field ({@link #refuseField}).</li>
 * </ul>
 *
 * It records every request (method, path, query, headers and body, with the bearer token and the form's secrets
 * replaced by {@code <redacted>}) so tests can assert exactly once.
 */
public final class FakeGlpiHl implements AutoCloseable {

    /** One request as it arrived, minus its secrets, and the status it was answered with. */
    public record Recorded(String method, String path, String query, Map<String, List<String>> headers, String body,
            int status) {

        public boolean is(String method, String pathPart) {
            return this.method.equals(method) && path.contains(pathPart);
        }
    }

    /** A GLPI user: login, password (for the API user), addresses. */
    public record User(long id, String login, String password, List<String> emails, boolean active) {
    }

    public record StoredTicket(long id, JsonNode fields) {
        public String text(String field) {
            return fields.path(field).asText();
        }
    }

    public record TeamMember(long ticketId, long userId, int role) {
    }

    public record StoredFollowup(long id, long ticketId, JsonNode fields) {
        public String text(String field) {
            return fields.path(field).asText();
        }
    }

    public record StoredDocument(long id, String name, String comment, String fileName, String mime, byte[] content) {
    }

    public record DocumentLink(long id, long documentId, long ticketId) {
    }

    private record Issued(long userId, Instant expiresAt) {
    }

    private record Answer(int status, String body, Map<String, String> headers) {
    }

    private record Part(Map<String, String> headers, byte[] body) {
        String disposition(String parameter) {
            Matcher m = Pattern.compile(parameter + "=\"([^\"]*)\"").matcher(headers.getOrDefault("content-disposition", ""));
            return m.find() ? m.group(1) : null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern API = Pattern.compile("^/api\\.php/v2(?:\\.\\d+)?(/.*)$");

    private final Clock clock;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-glpi-hl");
        t.setDaemon(true);
        return t;
    });
    private HttpServer server;
    private final int port;

    private final Map<String, String> clients = new LinkedHashMap<>();
    private final Map<Long, User> users = new LinkedHashMap<>();
    private final Map<String, Issued> accessTokens = new LinkedHashMap<>();
    private final Map<String, Long> refreshTokens = new LinkedHashMap<>();
    private final List<StoredTicket> tickets = new ArrayList<>();
    private final List<TeamMember> team = new ArrayList<>();
    private final List<StoredFollowup> followups = new ArrayList<>();
    private final List<StoredDocument> documents = new ArrayList<>();
    private final List<DocumentLink> links = new ArrayList<>();
    private final List<Recorded> recorded = new ArrayList<>();
    private final List<Answer> nextFailures = new ArrayList<>();
    private final Map<String, String> refusedFields = new LinkedHashMap<>();
    private long nextId = 100;
    private Duration tokenLifetime = Duration.ofHours(1);
    private boolean issueRefreshTokens = true;
    private boolean unavailable;
    private int lateAnswers;
    private Duration lateBy = Duration.ZERO;

    private FakeGlpiHl(Clock clock) {
        this.clock = clock;
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    /** A fake GLPI on a free loopback port over HTTPS; token lifetimes are counted on {@code clock}. */
    public static FakeGlpiHl start(Clock clock) {
        return new FakeGlpiHl(clock);
    }

    // ---- where it is ----

    /** GLPI's root, {@code https://localhost:PORT}, as a target's {@code url}. */
    public URI url() {
        return URI.create("https://localhost:" + port);
    }

    /** A client that trusts the fake's certificate, as the app's shared client trusts a real GLPI's. */
    public static HttpClient client() {
        return HttpClient.newBuilder().sslContext(TestCertificates.get().clientContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    // ---- what GLPI holds ----

    /** Registers an OAuth client (Setup > OAuth clients) with the password and refresh token grants and scope api. */
    public synchronized FakeGlpiHl oauthClient(String clientId, String secret) {
        clients.put(clientId, secret);
        return this;
    }

    /** Adds an active GLPI user; {@code password} may be null for a user who never signs in. */
    public synchronized long user(String login, String password, String... emails) {
        long id = nextId++;
        users.put(id, new User(id, login, password, List.of(emails), true));
        return id;
    }

    public synchronized FakeGlpiHl tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
        return this;
    }

    /** Whether token answers carry a refresh token (GLPI's do). */
    public synchronized FakeGlpiHl refreshTokens(boolean issue) {
        this.issueRefreshTokens = issue;
        return this;
    }

    /** Forgets every access token (not the refresh tokens): the next API call with one gets 401. */
    public synchronized void revokeAccessTokens() {
        accessTokens.clear();
    }

    // ---- failures on demand ----

    /** The next {@code count} requests (token or API) get {@code status} with GLPI's error body, and nothing is done. */
    public synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            nextFailures.add(error(status, "ERROR_GENERIC", "An internal error occurred.", null));
        }
    }

    /** The next {@code count} requests get 429 with {@code Retry-After} in seconds, as a rate limiter in front of GLPI. */
    public synchronized void throttleNext(int count, Duration retryAfter) {
        for (int i = 0; i < count; i++) {
            nextFailures.add(new Answer(429, "<html><body>Too Many Requests</body></html>", Map.of(
                    "Content-Type", "text/html", "Retry-After", String.valueOf(retryAfter.toSeconds()))));
        }
    }

    /** Forgets every refresh token: the next refresh is refused with {@code invalid_grant}. */
    public synchronized void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** While set, every request gets 503 from the web server in front of GLPI (an HTML page, not GLPI's JSON). */
    public synchronized void unavailable(boolean down) {
        this.unavailable = down;
    }

    /** The next {@code count} creating API requests are done and committed, then answered {@code late} too late. */
    public synchronized void answerLateAfterCommit(int count, Duration late) {
        this.lateAnswers = count;
        this.lateBy = late;
    }

    /** A create whose JSON body has {@code field} is refused with 400 and {@code reason}, as GLPI refuses a bad value. */
    public synchronized void refuseField(String field, String reason) {
        refusedFields.put(field, reason);
    }

    /** Accepts {@code field} again, as GLPI does once an admin fixed what made it refuse the value. */
    public synchronized void acceptField(String field) {
        refusedFields.remove(field);
    }

    /** Closes the listening socket: connections are refused until {@link #restart}. */
    public synchronized void stop() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void restart() {
        server = listen(port);
    }

    // ---- what it received ----

    public synchronized List<Recorded> requests() {
        return List.copyOf(recorded);
    }

    /** Token requests with this grant type ({@code password}, {@code refresh_token}). */
    public synchronized long tokenRequests(String grantType) {
        return recorded.stream().filter(r -> r.path().equals("/api.php/token"))
                .filter(r -> r.body().contains("grant_type=" + grantType)).count();
    }

    public synchronized List<StoredTicket> tickets() {
        return List.copyOf(tickets);
    }

    public synchronized List<TeamMember> team(long ticketId) {
        return team.stream().filter(m -> m.ticketId() == ticketId).toList();
    }

    public synchronized List<StoredFollowup> followups(long ticketId) {
        return followups.stream().filter(f -> f.ticketId() == ticketId).toList();
    }

    public synchronized List<StoredDocument> documents() {
        return List.copyOf(documents);
    }

    public synchronized List<DocumentLink> documentLinks(long ticketId) {
        return links.stream().filter(l -> l.ticketId() == ticketId).toList();
    }

    @Override
    public void close() {
        synchronized (this) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    // ---- the server ----

    private HttpServer listen(int onPort) {
        try {
            HttpsServer tls = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
            tls.setHttpsConfigurator(new HttpsConfigurator(TestCertificates.get().serverContext()));
            tls.createContext("/", this::handle);
            tls.setExecutor(executor);
            tls.start();
            return tls;
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen for the fake GLPI on port " + onPort, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            Answer answer;
            boolean late;
            synchronized (this) {
                answer = answer(exchange, method, path, query, contentType, body);
                recorded.add(new Recorded(method, path, query == null ? "" : decode(query),
                        redactedHeaders(exchange), describeBody(contentType, body), answer.status()));
                late = lateAnswers > 0 && "POST".equals(method) && API.matcher(path).matches()
                        && answer.status() < 300;
                if (late) {
                    lateAnswers--;
                }
            }
            if (late) {
                sleep(lateBy);
            }
            byte[] out = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (IOException lateAnswerToAGoneClient) {
            // the client stopped waiting: GLPI's work is done all the same
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, String query, String contentType,
            byte[] body) {
        if (unavailable) {
            return new Answer(503, "<html><body><h1>503 Service Unavailable</h1></body></html>",
                    Map.of("Content-Type", "text/html"));
        }
        if (!nextFailures.isEmpty()) {
            return nextFailures.remove(0);
        }
        if (path.equals("/api.php/token") && method.equals("POST")) {
            return token(FormEncoding.parse(new String(body, StandardCharsets.UTF_8)));
        }
        Matcher api = API.matcher(path);
        if (!api.matches()) {
            return new Answer(404, "<html><body>Not Found</body></html>", Map.of("Content-Type", "text/html"));
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Issued issued = authorization != null && authorization.startsWith("Bearer ")
                ? accessTokens.get(authorization.substring("Bearer ".length())) : null;
        if (issued == null || !clock.instant().isBefore(issued.expiresAt())) {
            return error(401, "ERROR_UNAUTHENTICATED", "You are not authenticated", null);
        }
        Map<String, String> params = query == null ? Map.of() : FormEncoding.parse(query);
        try {
            return route(method, api.group(1), params, contentType, body);
        } catch (IOException e) {
            return error(400, "ERROR_INVALID_PARAMETER", "The request body is not valid JSON", null);
        } catch (IllegalArgumentException e) {
            return error(400, "ERROR_INVALID_PARAMETER", e.getMessage(), null);
        }
    }

    private Answer route(String method, String route, Map<String, String> params, String contentType, byte[] body)
            throws IOException {
        String[] p = route.substring(1).split("/");
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        if (get && route.equals("/Administration/User")) {
            return list(users.values().stream().map(this::userJson).toList(), params);
        }
        if (route.equals("/Assistance/Ticket")) {
            if (post) {
                return createTicket(JSON.readTree(body));
            }
            if (get) {
                return list(tickets.stream().map(this::ticketJson).toList(), params);
            }
        }
        if (p.length >= 3 && p[0].equals("Assistance") && p[1].equals("Ticket") && p[2].matches("\\d+")) {
            long ticketId = Long.parseLong(p[2]);
            StoredTicket ticket = tickets.stream().filter(t -> t.id() == ticketId).findFirst().orElse(null);
            if (ticket == null) {
                return error(404, "ERROR_ITEM_NOT_FOUND", "Item not found", null);
            }
            String sub = String.join("/", java.util.Arrays.copyOfRange(p, 3, p.length));
            if (sub.isEmpty() && get) {
                return json(200, ticketJson(ticket));
            }
            if (sub.equals("TeamMember")) {
                return post ? addTeamMember(ticketId, JSON.readTree(body)) : get ? teamJson(ticketId) : notFound();
            }
            if (sub.equals("Timeline/Followup")) {
                return post ? addFollowup(ticketId, JSON.readTree(body)) : get ? timeline("Followup",
                        followups.stream().filter(f -> f.ticketId() == ticketId).map(this::followupJson).toList(),
                        params) : notFound();
            }
            if (sub.equals("Timeline/Document")) {
                return post ? linkDocument(ticketId, JSON.readTree(body)) : get ? timeline("Document",
                        links.stream().filter(l -> l.ticketId() == ticketId).map(this::linkJson).toList(), params)
                        : notFound();
            }
        }
        if (route.equals("/Management/Document")) {
            if (post) {
                return uploadDocument(contentType, body);
            }
            if (get) {
                return list(documents.stream().map(this::documentJson).toList(), params);
            }
        }
        return notFound();
    }

    // ---- OAuth ----

    private Answer token(Map<String, String> form) {
        String secret = clients.get(form.getOrDefault("client_id", ""));
        if (secret == null || !secret.equals(form.get("client_secret"))) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        String scope = form.getOrDefault("scope", "");
        if (!scope.isEmpty() && !List.of(scope.split(" ")).stream().allMatch("api"::equals)) {
            return oauthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed");
        }
        long userId;
        switch (form.getOrDefault("grant_type", "")) {
            case "password" -> {
                User user = users.values().stream()
                        .filter(u -> u.login().equals(form.get("username")) && u.password() != null
                                && u.password().equals(form.get("password")) && u.active())
                        .findFirst().orElse(null);
                if (user == null) {
                    return oauthError(400, "invalid_grant", "The user credentials were incorrect.");
                }
                userId = user.id();
            }
            case "refresh_token" -> {
                Long owner = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
                if (owner == null) {
                    return oauthError(400, "invalid_grant", "The refresh token is invalid.");
                }
                userId = owner;
            }
            case "client_credentials" -> {
                // GLPI 11: client credentials are for the inventory scope only
                return oauthError(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed");
            }
            default -> {
                return oauthError(400, "unsupported_grant_type",
                        "The authorization grant type is not supported by the authorization server.");
            }
        }
        String access = "glpi-at-" + UUID.randomUUID();
        accessTokens.put(access, new Issued(userId, clock.instant().plus(tokenLifetime)));
        ObjectNode answer = JSON.createObjectNode()
                .put("token_type", "Bearer")
                .put("expires_in", tokenLifetime.toSeconds())
                .put("access_token", access);
        if (issueRefreshTokens) {
            String refresh = "glpi-rt-" + UUID.randomUUID();
            refreshTokens.put(refresh, userId);
            answer.put("refresh_token", refresh);
        }
        return json(200, answer);
    }

    private static Answer oauthError(int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", error).put("error_description", description)
                .put("message", description);
        return json(status, body);
    }

    // ---- tickets, team, followups, documents ----

    private Answer createTicket(JsonNode body) {
        Answer refused = refused(body);
        if (refused != null) {
            return refused;
        }
        if (body.path("name").asText("").isBlank() && body.path("content").asText("").isBlank()) {
            return error(400, "ERROR_GENERIC", "Failed to add item", "Title and description are empty");
        }
        for (String dropdown : List.of("entity", "category", "request_type")) {
            if (body.has(dropdown) && !body.path(dropdown).canConvertToLong()) {
                // ResourceAccessor writes a dropdown from its id: an object would be stored as nothing
                throw new IllegalArgumentException("Invalid parameter: " + dropdown + " must be an id");
            }
        }
        long id = nextId++;
        tickets.add(new StoredTicket(id, body.deepCopy()));
        return created("/Assistance/Ticket/" + id, id);
    }

    private Answer addTeamMember(long ticketId, JsonNode body) {
        if (!"User".equals(body.path("type").asText())) {
            throw new IllegalArgumentException("Invalid parameter: type");
        }
        // the route hands the role to CommonITILObject::addTeamMember as is: only GLPI's numeric roles mean something
        if (!body.path("role").isInt() || body.path("role").asInt() < 1 || body.path("role").asInt() > 3) {
            throw new IllegalArgumentException("Invalid parameter: role");
        }
        long userId = body.path("id").asLong(-1);
        if (!users.containsKey(userId)) {
            throw new IllegalArgumentException("Invalid parameter: id");
        }
        TeamMember member = new TeamMember(ticketId, userId, body.path("role").asInt());
        if (team.contains(member)) {
            return error(400, "ERROR_GENERIC", "Failed to add item", "Duplicate entry");
        }
        team.add(member);
        return new Answer(201, "null", Map.of("Content-Type", "application/json"));
    }

    private Answer teamJson(long ticketId) {
        ArrayNode out = JSON.createArrayNode();
        for (TeamMember member : team(ticketId)) {
            User user = users.get(member.userId());
            out.addObject().put("role", member.role() == 1 ? "requester" : member.role() == 2 ? "assigned" : "observer")
                    .put("name", user.login()).put("display_name", user.login())
                    .put("href", "/front/user.form.php?id=" + user.id());
        }
        return json(200, out);
    }

    private Answer addFollowup(long ticketId, JsonNode body) {
        Answer refused = refused(body);
        if (refused != null) {
            return refused;
        }
        if (body.path("content").asText("").isBlank()) {
            return error(400, "ERROR_GENERIC", "Failed to add item", "The description is empty");
        }
        long id = nextId++;
        followups.add(new StoredFollowup(id, ticketId, body.deepCopy()));
        return created("/Assistance/Ticket/" + ticketId + "/Timeline/Followup/" + id, id);
    }

    private Answer uploadDocument(String contentType, byte[] body) {
        if (contentType == null || !contentType.startsWith("multipart/form-data")) {
            throw new IllegalArgumentException("Invalid parameter: file (a document is uploaded as multipart/form-data)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Part file = null;
        for (Part part : parts(contentType, body)) {
            if (part.disposition("filename") != null) {
                if ("file".equals(part.disposition("name"))) {
                    file = part;
                }
            } else {
                fields.put(part.disposition("name"), new String(part.body(), StandardCharsets.UTF_8));
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("Missing parameter: file");
        }
        String fileName = file.disposition("filename");
        if (!fileName.matches(".*\\.[A-Za-z0-9]+$")) {
            // FileManager::uploadFile refuses a file whose extension is not letters and digits
            return error(400, "ERROR_GENERIC", "File upload failed with error code 7", null);
        }
        if (fields.containsKey("comment") && refusedFields.containsKey("comment")) {
            return error(400, "ERROR_INVALID_PARAMETER", refusedFields.get("comment"), null);
        }
        long id = nextId++;
        documents.add(new StoredDocument(id, fields.getOrDefault("name", fileName), fields.getOrDefault("comment", ""),
                fileName, file.headers().getOrDefault("content-type", "application/octet-stream"), file.body()));
        return created("/Management/Document/" + id, id);
    }

    private Answer linkDocument(long ticketId, JsonNode body) {
        long documentId = body.path("documents_id").asLong(-1);
        if (documents.stream().noneMatch(d -> d.id() == documentId)) {
            throw new IllegalArgumentException("Invalid parameter: documents_id");
        }
        long id = nextId++;
        links.add(new DocumentLink(id, documentId, ticketId));
        return created("/Assistance/Ticket/" + ticketId + "/Timeline/Document/" + id, id);
    }

    private Answer refused(JsonNode body) {
        for (Map.Entry<String, String> field : refusedFields.entrySet()) {
            if (body.has(field.getKey())) {
                ObjectNode error = JSON.createObjectNode().put("status", "ERROR_INVALID_PARAMETER")
                        .put("title", "One or more parameters are invalid");
                error.putNull("detail");
                error.putArray("additional_messages").addObject().put("priority", "error")
                        .put("message", field.getValue());
                return json(422, error);
            }
        }
        return null;
    }

    // ---- JSON views ----

    private ObjectNode userJson(User user) {
        ObjectNode node = JSON.createObjectNode().put("id", user.id()).put("username", user.login())
                .put("is_active", user.active()).put("is_deleted", false);
        ArrayNode emails = node.putArray("emails");
        long emailId = 1;
        for (String email : user.emails()) {
            emails.addObject().put("id", user.id() * 100 + emailId++).put("email", email).put("is_default", emailId == 2);
        }
        return node;
    }

    private ObjectNode ticketJson(StoredTicket ticket) {
        ObjectNode node = ((ObjectNode) ticket.fields().deepCopy()).put("id", ticket.id());
        node.put("is_deleted", false);
        return node;
    }

    private ObjectNode followupJson(StoredFollowup followup) {
        ObjectNode node = ((ObjectNode) followup.fields().deepCopy()).put("id", followup.id())
                .put("itemtype", "Ticket").put("items_id", followup.ticketId());
        return node;
    }

    private ObjectNode linkJson(DocumentLink link) {
        return JSON.createObjectNode().put("id", link.id()).put("itemtype", "Ticket").put("items_id", link.ticketId())
                .put("documents_id", link.documentId())
                .put("filepath", "/front/document.send.php?docid=" + link.documentId());
    }

    private ObjectNode documentJson(StoredDocument document) {
        return JSON.createObjectNode().put("id", document.id()).put("name", document.name())
                .put("comment", document.comment()).put("filename", document.fileName()).put("mime", document.mime());
    }

    /** A search route: the filter applied, at most {@code limit}, 206 when more matched (as ResourceAccessor). */
    private Answer list(List<ObjectNode> items, Map<String, String> params) {
        Predicate<JsonNode> filter = filter(params.getOrDefault("filter", ""));
        List<ObjectNode> matched = items.stream().filter(filter).toList();
        int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
        ArrayNode out = JSON.createArrayNode();
        matched.stream().limit(limit).forEach(out::add);
        return new Answer(matched.size() > limit ? 206 : 200, out.toString(), Map.of("Content-Type", "application/json",
                "Content-Range", "0-" + Math.max(0, Math.min(limit, matched.size()) - 1) + "/" + matched.size()));
    }

    /** A timeline route: each item wrapped as {@code {type, item}}, or one item when the filter names an id. */
    private Answer timeline(String type, List<ObjectNode> items, Map<String, String> params) {
        String filterText = params.getOrDefault("filter", "");
        List<ObjectNode> matched = items.stream().filter(filter(filterText)).toList();
        if (filterText.contains("id==")) {
            // ITILController::getTimelineItems: a filter containing "id==" asks for a single item
            return matched.isEmpty() ? notFound() : json(200, matched.get(0));
        }
        ArrayNode out = JSON.createArrayNode();
        for (ObjectNode item : matched) {
            ObjectNode wrapped = out.addObject().put("type", type);
            wrapped.set("item", item);
        }
        return json(200, out);
    }

    // ---- RSQL, as much as the target uses ----

    private static Predicate<JsonNode> filter(String rsql) {
        Predicate<JsonNode> all = n -> true;
        if (rsql.isBlank()) {
            return all;
        }
        for (String clause : splitUnescaped(rsql, ';')) {
            Matcher m = Pattern.compile("^([A-Za-z0-9_.]+)(==|=like=)(.*)$").matcher(clause);
            if (!m.matches()) {
                throw new IllegalArgumentException("RSQL query has an incomplete operator in filter");
            }
            String property = m.group(1);
            String value = unescape(m.group(3));
            if (!List.of("emails.email", "content", "comment", "id", "name", "documents_id").contains(property)) {
                throw new IllegalArgumentException("RSQL query has an invalid property: " + property);
            }
            Predicate<String> test = m.group(2).equals("==")
                    ? v -> v.equalsIgnoreCase(value)
                    : like(value);
            all = all.and(node -> values(node, property).stream().anyMatch(test));
        }
        return all;
    }

    private static Predicate<String> like(String pattern) {
        StringBuilder regex = new StringBuilder("(?is)");
        for (String piece : pattern.split("\\*", -1)) {
            regex.append(Pattern.quote(piece)).append(".*");
        }
        Pattern compiled = Pattern.compile(regex.substring(0, regex.length() - 2));
        return v -> compiled.matcher(v).matches();
    }

    private static List<String> values(JsonNode node, String property) {
        if (property.equals("emails.email")) {
            List<String> out = new ArrayList<>();
            node.path("emails").forEach(e -> out.add(e.path("email").asText()));
            return out;
        }
        JsonNode value = node.path(property);
        return value.isMissingNode() ? List.of() : List.of(value.asText());
    }

    private static List<String> splitUnescaped(String text, char separator) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String unescape(String value) {
        String v = value;
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            v = v.substring(1, v.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                out.append(v.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- multipart ----

    private static List<Part> parts(String contentType, byte[] body) {
        Matcher b = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (!b.find()) {
            throw new IllegalArgumentException("Invalid parameter: multipart body without boundary");
        }
        // ISO-8859-1 maps each byte to one char, so positions in the string are positions in the bytes
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + b.group(1);
        List<Part> out = new ArrayList<>();
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            start += 2; // CRLF
            int next = text.indexOf("\r\n" + delimiter, start);
            if (next < 0) {
                throw new IllegalArgumentException("Invalid parameter: unterminated multipart body");
            }
            String part = text.substring(start, next);
            int headerEnd = part.indexOf("\r\n\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : part.substring(0, headerEnd).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        new String(line.substring(colon + 1).strip().getBytes(StandardCharsets.ISO_8859_1),
                                StandardCharsets.UTF_8));
            }
            out.add(new Part(headers, part.substring(headerEnd + 4).getBytes(StandardCharsets.ISO_8859_1)));
            at = next + 2;
        }
        return out;
    }

    // ---- answers ----

    private static Answer created(String route, long id) {
        String href = "/api.php/v2.0" + route;
        return new Answer(200, JSON.createObjectNode().put("id", id).put("href", href).toString(),
                Map.of("Content-Type", "application/json", "Location", href));
    }

    private static Answer json(int status, JsonNode body) {
        return new Answer(status, body.toString(), Map.of("Content-Type", "application/json"));
    }

    private static Answer error(int status, String code, String title, String detail) {
        ObjectNode body = JSON.createObjectNode().put("status", code).put("title", title);
        if (detail == null) {
            body.putNull("detail");
        } else {
            body.put("detail", detail);
        }
        return json(status, body);
    }

    private static Answer notFound() {
        return error(404, "ERROR_ITEM_NOT_FOUND", "Item not found", null);
    }

    // ---- recording ----

    private static Map<String, List<String>> redactedHeaders(HttpExchange exchange) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> out.put(name,
                name.equalsIgnoreCase("Authorization") ? List.of("<redacted>") : List.copyOf(values)));
        return out;
    }

    private static String describeBody(String contentType, byte[] body) {
        if (contentType != null && contentType.startsWith("multipart/form-data") && contentType.contains("boundary=")) {
            StringBuilder out = new StringBuilder();
            for (Part part : parts(contentType, body)) {
                String fileName = part.disposition("filename");
                out.append(part.disposition("name")).append('=').append(fileName != null
                        ? "<file " + fileName + ", " + part.body().length + " bytes>"
                        : new String(part.body(), StandardCharsets.UTF_8)).append('\n');
            }
            return out.toString();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = new LinkedHashMap<>(FormEncoding.parse(text));
            form.replaceAll((k, v) -> List.of("client_secret", "password", "refresh_token").contains(k) ? "<redacted>" : v);
            return FormEncoding.encode(form);
        }
        return text;
    }

    private static String decode(String query) {
        return URLDecoder.decode(query, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
