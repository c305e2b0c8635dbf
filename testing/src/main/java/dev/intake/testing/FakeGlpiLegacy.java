package dev.intake.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for GLPI 9.5 / 10.0's legacy REST API ({@code /glpi/apirest.php/...}), spoken to over real HTTP.
 *
 * <p>It keeps the rules of GLPI's {@code src/Api/API.php} and {@code APIRest.php} that a client relies on: the
 * App-Token checked on every call when one is required ({@code ERROR_APP_TOKEN_PARAMETERS_MISSING},
 * {@code ERROR_WRONG_APP_TOKEN_PARAMETER}, HTTP 400); {@code initSession} with {@code Authorization: user_token X} or
 * HTTP Basic ({@code ERROR_GLPI_LOGIN_USER_TOKEN} / {@code ERROR_GLPI_LOGIN}, 401); a {@code Session-Token} on every
 * other call ({@code ERROR_SESSION_TOKEN_INVALID}, 401, once it expired or was killed); {@code POST itemtype} with
 * {@code {"input": {...}}} answering 201 {@code {"id": N, "message": ""}}; {@code Document} uploads as
 * {@code multipart/form-data} with an {@code uploadManifest} field and file parts (file names read as PHP reads them),
 * linked to {@code itemtype}/{@code items_id} when the manifest names one; {@code GET itemtype?searchText[field]=x}
 * (a case-insensitive "contains") and {@code GET Ticket/N/ITILFollowup}; errors as {@code ["ERROR_CODE", "message"]}.
 *
 * <p>A test can make it fail: the next requests answered with a status ({@link #failNext}), connections refused
 * ({@link #down()}), creations done but answered too late ({@link #answerLateNextCreations}), a field refused
 * ({@link #refuseField}), a right missing ({@link #forbid}), every session expired ({@link #expireSessions()}). It records every request with its
 * secrets masked ({@link #requests()}).
 */
public final class FakeGlpiLegacy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/glpi/apirest.php/";

    /** A request as it arrived; the Authorization, App-Token and Session-Token headers are masked. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
            String body) {
    }

    /** An uploaded document: its fields (name, comment, filename, mime, links) and the bytes of its file. */
    public record Document(long id, ObjectNode fields, byte[] content) {

        public String fileName() {
            return fields.path("filename").asText();
        }
    }

    private final int port;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-glpi-legacy");
        thread.setDaemon(true);
        return thread;
    });
    private HttpServer server;

    private final List<Request> requests = new ArrayList<>();
    private final Map<String, String> userTokens = new HashMap<>();
    private final Map<String, String> passwords = new HashMap<>();
    private final Map<String, String> sessions = new HashMap<>();
    private final Map<Long, ObjectNode> users = new LinkedHashMap<>();
    private final List<ObjectNode> userEmails = new ArrayList<>();
    private final Map<Long, ObjectNode> tickets = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> followups = new LinkedHashMap<>();
    private final Map<Long, Document> documents = new LinkedHashMap<>();
    private final List<ObjectNode> documentItems = new ArrayList<>();
    private final Map<String, String> refusedFields = new HashMap<>();
    private final Set<String> forbidden = new HashSet<>();
    private Optional<String> appToken = Optional.empty();
    private long nextId = 1;
    private int failuresLeft;
    private int failureStatus;
    private Optional<String> failureRetryAfter = Optional.empty();
    private int lateCreationsLeft;
    private Duration lateBy = Duration.ZERO;
    private int sessionsOpened;
    private int sessionsKilled;

    private FakeGlpiLegacy() {
        this.server = listen(0);
        this.port = server.getAddress().getPort();
    }

    public static FakeGlpiLegacy start() {
        return new FakeGlpiLegacy();
    }

    /** GLPI's root address, as an admin configures it: {@code http://127.0.0.1:PORT/glpi}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/glpi");
    }

    /** Makes the API client require this App-Token on every call. */
    public synchronized FakeGlpiLegacy requireAppToken(String token) {
        appToken = Optional.of(token);
        return this;
    }

    /** A GLPI user with its emails (the first is the default); returns its id. */
    public synchronized long addUser(String login, String... emails) {
        long id = nextId++;
        ObjectNode user = JSON.createObjectNode().put("id", id).put("name", login).put("is_active", 1);
        users.put(id, user);
        boolean first = true;
        for (String email : emails) {
            userEmails.add(JSON.createObjectNode().put("id", nextId++).put("users_id", id).put("email", email)
                    .put("is_default", first ? 1 : 0));
            first = false;
        }
        return id;
    }

    /** Gives the user its API token ("Remote access key"). */
    public synchronized FakeGlpiLegacy userToken(String login, String token) {
        userTokens.put(token, login);
        return this;
    }

    /** Lets the user log in to the API with a password (HTTP Basic). */
    public synchronized FakeGlpiLegacy password(String login, String password) {
        passwords.put(login, password);
        return this;
    }

    /** Ends every open session, as GLPI's PHP session expiry does. */
    public synchronized void expireSessions() {
        sessions.clear();
    }

    /** Answers the next {@code count} requests with {@code status} (a proxy's error page) before doing anything. */
    public synchronized void failNext(int count, int status) {
        failNext(count, status, Optional.empty());
    }

    public synchronized void failNext(int count, int status, Optional<String> retryAfter) {
        failuresLeft = count;
        failureStatus = status;
        failureRetryAfter = retryAfter;
    }

    /** Creates the items of the next {@code count} POSTs, then waits {@code delay} before answering. */
    public synchronized void answerLateNextCreations(int count, Duration delay) {
        lateCreationsLeft = count;
        lateBy = delay;
    }

    /** Answers a POST whose input has {@code field} with 400 {@code ["ERROR_GLPI_ADD", message]}. */
    public synchronized void refuseField(String field, String message) {
        refusedFields.put(field, message);
    }

    /**
     * Takes from the API user's profile the rights on {@code itemtype}: reading and creating it answer 403
     * {@code ["ERROR_RIGHT_MISSING", ...]}, as GLPI 10 does.
     */
    public synchronized void forbid(String itemtype) {
        forbidden.add(itemtype);
    }

    /** Stops listening: connections are refused until {@link #up()}. */
    public synchronized void down() {
        server.stop(0);
    }

    /** Listens again on the same port. */
    public synchronized void up() {
        server = listen(port);
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<ObjectNode> tickets() {
        return tickets.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<ObjectNode> followups() {
        return followups.values().stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized List<Document> documents() {
        return List.copyOf(documents.values());
    }

    /** The links between documents and items ({@code documents_id}, {@code itemtype}, {@code items_id}). */
    public synchronized List<ObjectNode> documentItems() {
        return documentItems.stream().map(ObjectNode::deepCopy).toList();
    }

    public synchronized int sessionsOpened() {
        return sessionsOpened;
    }

    public synchronized int sessionsKilled() {
        return sessionsKilled;
    }

    public synchronized int openSessions() {
        return sessions.size();
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
            created.createContext("/", this::handle);
            created.setExecutor(executor);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer: its status, body and extra headers. */
    private record Answer(int status, String body, Map<String, String> headers) {

        static Answer json(int status, JsonNode body) {
            return new Answer(status, body.toString(), Map.of());
        }

        static Answer error(int status, String code, String message) {
            ArrayNode body = JSON.createArrayNode().add(code).add(message);
            return json(status, body);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Answer answer;
            Duration late = Duration.ZERO;
            synchronized (this) {
                record(exchange, body);
                if (failuresLeft > 0) {
                    failuresLeft--;
                    Map<String, String> headers = failureRetryAfter.map(r -> Map.of("Retry-After", r))
                            .orElse(Map.of());
                    answer = new Answer(failureStatus, "<html><body><h1>" + failureStatus + "</h1></body></html>",
                            headers);
                } else {
                    answer = route(exchange, body);
                    if (exchange.getRequestMethod().equals("POST") && answer.status() == 201
                            && lateCreationsLeft > 0) {
                        lateCreationsLeft--;
                        late = lateBy;
                    }
                }
            }
            if (!late.isZero()) {
                sleep(late);
            }
            boolean html = answer.body().startsWith("<");
            exchange.getResponseHeaders().set("Content-Type", html ? "text/html" : "application/json; charset=UTF-8");
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // The client left (it timed out): what was done stays done, as on a real server
        }
    }

    private Answer route(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getPath();
        if (!path.startsWith(API)) {
            return new Answer(404, "<html><body>Not Found</body></html>", Map.of());
        }
        List<String> parts = List.of(path.substring(API.length()).replaceAll("/+$", "").split("/"));
        String method = exchange.getRequestMethod();
        Map<String, String> query = FormEncoding.query(exchange.getRequestURI());
        Optional<Answer> appRefusal = checkAppToken(exchange);
        if (appRefusal.isPresent()) {
            return appRefusal.get();
        }
        if (parts.get(0).equals("initSession")) {
            return initSession(exchange);
        }
        String token = exchange.getRequestHeaders().getFirst("Session-Token");
        if (token == null || token.isEmpty()) {
            return Answer.error(400, "ERROR_SESSION_TOKEN_MISSING", "parameter session_token missing or empty");
        }
        if (!sessions.containsKey(token)) {
            return Answer.error(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid");
        }
        if (parts.get(0).equals("killSession")) {
            sessions.remove(token);
            sessionsKilled++;
            return Answer.json(200, JSON.getNodeFactory().booleanNode(true));
        }
        if (forbidden.contains(parts.get(0)) || (parts.size() == 3 && forbidden.contains(parts.get(2)))) {
            return Answer.error(403, "ERROR_RIGHT_MISSING", "You don't have permission to perform this action.");
        }
        if (method.equals("GET")) {
            return read(parts, query);
        }
        if (method.equals("POST") && parts.size() == 1) {
            String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
            return create(parts.get(0), contentType, body);
        }
        return Answer.error(405, "ERROR_METHOD_NOT_ALLOWED", "Method Not Allowed");
    }

    private Optional<Answer> checkAppToken(HttpExchange exchange) {
        if (appToken.isEmpty()) {
            return Optional.empty();
        }
        String given = exchange.getRequestHeaders().getFirst("App-Token");
        if (given == null || given.isEmpty()) {
            return Optional.of(Answer.error(400, "ERROR_APP_TOKEN_PARAMETERS_MISSING", "missing parameter app_token"));
        }
        if (!given.equals(appToken.get())) {
            return Optional.of(Answer.error(400, "ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong"));
        }
        return Optional.empty();
    }

    private Answer initSession(HttpExchange exchange) {
        String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
        String login = null;
        if (authorization.startsWith("user_token ")) {
            login = userTokens.get(authorization.substring("user_token ".length()));
            if (login == null) {
                return Answer.error(401, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid");
            }
        } else if (authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String user = colon < 0 ? pair : pair.substring(0, colon);
            String password = colon < 0 ? "" : pair.substring(colon + 1);
            if (!password.equals(passwords.get(user))) {
                return Answer.error(401, "ERROR_GLPI_LOGIN", "Incorrect username or password");
            }
            login = user;
        } else {
            return Answer.error(400, "ERROR_LOGIN_PARAMETERS_MISSING",
                    "parameter(s) login, password or user_token are missing");
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        sessions.put(token, login);
        sessionsOpened++;
        return Answer.json(200, JSON.createObjectNode().put("session_token", token));
    }

    private Answer read(List<String> parts, Map<String, String> query) {
        String itemtype = parts.get(0);
        if (parts.size() == 3 && itemtype.equals("Ticket") && parts.get(2).equals("ITILFollowup")) {
            long ticket = parseId(parts.get(1));
            if (!tickets.containsKey(ticket)) {
                return Answer.error(404, "ERROR_ITEM_NOT_FOUND", "Item not found");
            }
            return list(followups.values().stream()
                    .filter(f -> f.path("itemtype").asText().equals("Ticket") && f.path("items_id").asLong() == ticket)
                    .toList(), query);
        }
        if (parts.size() == 2) {
            ObjectNode item = collection(itemtype).get(parseId(parts.get(1)));
            return item == null ? Answer.error(404, "ERROR_ITEM_NOT_FOUND", "Item not found") : Answer.json(200, item);
        }
        if (parts.size() == 1 && known(itemtype)) {
            List<ObjectNode> rows = itemtype.equals("UserEmail")
                    ? userEmails : List.copyOf(collection(itemtype).values());
            return list(rows, query);
        }
        return unknownItemtype();
    }

    private static boolean known(String itemtype) {
        return List.of("Ticket", "ITILFollowup", "Document", "User", "UserEmail").contains(itemtype);
    }

    private Map<Long, ObjectNode> collection(String itemtype) {
        return switch (itemtype) {
            case "Ticket" -> tickets;
            case "ITILFollowup" -> followups;
            case "User" -> users;
            case "Document" -> {
                Map<Long, ObjectNode> fields = new LinkedHashMap<>();
                documents.forEach((id, document) -> fields.put(id, document.fields()));
                yield fields;
            }
            default -> Map.of();
        };
    }

    /** {@code API::getItems}: {@code searchText[field]} filters (SQL LIKE '%x%'), {@code range=a-b}. */
    private static Answer list(List<ObjectNode> rows, Map<String, String> query) {
        List<ObjectNode> found = new ArrayList<>();
        for (ObjectNode row : rows) {
            boolean matches = true;
            for (Map.Entry<String, String> filter : query.entrySet()) {
                if (filter.getKey().startsWith("searchText[") && filter.getKey().endsWith("]")) {
                    String field = filter.getKey().substring("searchText[".length(), filter.getKey().length() - 1);
                    matches &= row.path(field).asText("").toLowerCase(Locale.ROOT)
                            .contains(filter.getValue().toLowerCase(Locale.ROOT));
                }
            }
            if (matches) {
                found.add(row);
            }
        }
        int from = 0;
        int to = 49;
        String range = query.get("range");
        if (range != null && range.matches("[0-9]+-[0-9]+")) {
            from = Integer.parseInt(range.substring(0, range.indexOf('-')));
            to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        }
        ArrayNode page = JSON.createArrayNode();
        for (int i = from; i <= to && i < found.size(); i++) {
            page.add(found.get(i));
        }
        return Answer.json(page.size() < found.size() ? 206 : 200, page);
    }

    private Answer create(String itemtype, String contentType, byte[] body) {
        JsonNode request;
        List<FakeGlpiLegacyForm.Part> files = List.of();
        if (contentType.startsWith("multipart/form-data")) {
            List<FakeGlpiLegacyForm.Part> form = FakeGlpiLegacyForm.parse(contentType, body);
            files = form.stream().filter(p -> p.fileName().isPresent()).toList();
            if (files.isEmpty()) {
                return Answer.error(400, "ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE", "The file seems too big");
            }
            Optional<FakeGlpiLegacyForm.Part> manifest = form.stream().filter(p -> p.name().equals("uploadManifest"))
                    .findFirst();
            request = manifest.map(p -> readJson(new String(p.content(), StandardCharsets.UTF_8))).orElse(null);
        } else {
            request = readJson(new String(body, StandardCharsets.UTF_8));
        }
        if (request == null) {
            return Answer.error(400, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid");
        }
        if (!request.path("input").isObject()) {
            return Answer.error(400, "ERROR_BAD_ARRAY", "input parameter must be an array of objects");
        }
        ObjectNode input = ((ObjectNode) request.get("input")).deepCopy();
        for (Map.Entry<String, String> refused : refusedFields.entrySet()) {
            if (input.has(refused.getKey())) {
                return Answer.error(400, "ERROR_GLPI_ADD", refused.getValue());
            }
        }
        return switch (itemtype) {
            case "Ticket" -> created(tickets, input);
            case "ITILFollowup" -> {
                if (!input.path("itemtype").asText().equals("Ticket")
                        || !tickets.containsKey(input.path("items_id").asLong())) {
                    yield Answer.error(400, "ERROR_GLPI_ADD", "The followup's ticket does not exist");
                }
                yield created(followups, input);
            }
            case "Document" -> document(input, files);
            default -> unknownItemtype();
        };
    }

    private Answer created(Map<Long, ObjectNode> into, ObjectNode input) {
        long id = nextId++;
        input.put("id", id);
        into.put(id, input);
        return Answer.json(201, JSON.createObjectNode().put("id", id).put("message", ""));
    }

    /** {@code Document::post_addItem} links the document to {@code itemtype}/{@code items_id} when given. */
    private Answer document(ObjectNode input, List<FakeGlpiLegacyForm.Part> files) {
        if (files.isEmpty()) {
            return Answer.error(400, "ERROR_GLPI_ADD", "No file uploaded");
        }
        FakeGlpiLegacyForm.Part file = files.get(0);
        long id = nextId++;
        input.put("id", id);
        input.put("filename", file.fileName().orElseThrow());
        input.put("mime", file.contentType());
        input.remove("_filename");
        documents.put(id, new Document(id, input, file.content()));
        if (input.has("itemtype") && input.path("items_id").asLong(0) > 0) {
            documentItems.add(JSON.createObjectNode().put("id", nextId++).put("documents_id", id)
                    .put("itemtype", input.path("itemtype").asText()).put("items_id", input.path("items_id").asLong()));
        }
        return Answer.json(201, JSON.createObjectNode().put("id", id).put("message", "Document move succeeded."));
    }

    private static Answer unknownItemtype() {
        return Answer.error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM",
                "resource not found or not an instance of CommonDBTM");
    }

    private static long parseId(String id) {
        return id.matches("[0-9]{1,18}") ? Long.parseLong(id) : -1;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void record(HttpExchange exchange, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            String value = values.get(0);
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization")) {
                value = value.startsWith("user_token ") ? "user_token ******"
                        : value.startsWith("Basic ") ? "Basic ******" : "******";
            } else if (lower.equals("app-token") || lower.equals("session-token")) {
                value = "******";
            }
            headers.put(name, value);
        });
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        String text = contentType.startsWith("multipart/form-data")
                ? FakeGlpiLegacyForm.describe(contentType, body)
                : new String(body, StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                FormEncoding.query(exchange.getRequestURI()), Map.copyOf(headers), text));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
