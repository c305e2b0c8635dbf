package dev.intake.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.H2FileUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How a command reaches a node that runs on the same H2 file: H2 serves one process, so the command asks the node to
 * run it. The node writes {@code intake.cli} beside the database (readable by Intake's user only) with its port and a
 * random token; the command posts its arguments to the node's loopback address with that token and prints what the
 * node answers. Only the user Intake runs as can read the token, and the node takes such requests from this machine
 * only.
 */
public final class NodeCommandChannel {

    /** What a command that ran in the node printed and returned. */
    public record Outcome(int exitCode, String out, String err) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeCommandChannel() {
    }

    /** The file beside an H2 database; empty on PostgreSQL, where commands open the database themselves. */
    public static Optional<Path> file(DatabaseConfig database) {
        return H2FileUrl.parse(database.url()).map(h2 -> h2.location().toAbsolutePath()
                .resolveSibling(h2.location().getFileName() + ".cli"));
    }

    /** A node opens the channel: a new token, written with its port for commands of Intake's user to read. */
    public static String open(Path file, String bind, int port) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            // A node listening on every interface is reached on loopback; one bound to a single address, there.
            String host = bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank() ? "127.0.0.1" : bind;
            Files.writeString(file, "host=" + host + "\nport=" + port + "\ntoken=" + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + " for commands beside the node: " + e.getMessage(), e);
        }
        return token;
    }

    public static void close(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stale file only makes a later command fail to connect, and say so.
        }
    }

    /**
     * Runs a command in the node that holds the database.
     *
     * @return empty when no node announced itself (no file)
     * @throws IllegalStateException when the node does not answer (it stopped without removing the file)
     */
    static Optional<Outcome> run(Path file, List<String> args, Duration timeout) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties announced = new Properties();
        try {
            announced.load(new java.io.StringReader(Files.readString(file)));
            String body = JSON.writeValueAsString(Map.of("args", args));
            String host = announced.getProperty("host", "127.0.0.1");
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host)
                            + ":" + announced.getProperty("port") + "/internal/command"))
                    .header("Authorization", "Bearer " + announced.getProperty("token"))
                    .header("Content-Type", "application/json")
                    .timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the running node refused the command (HTTP " + response.statusCode() + ")");
            }
            Map<?, ?> answer = JSON.readValue(response.body(), Map.class);
            return Optional.of(new Outcome(((Number) answer.get("exitCode")).intValue(), String.valueOf(answer.get("out")),
                    String.valueOf(answer.get("err"))));
        } catch (IOException e) {
            throw new IllegalStateException("the node that holds the database does not answer at the port " + file
                    + " names (" + e.getMessage() + "); if no node runs, delete " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the node ran the command", e);
        }
    }
}
