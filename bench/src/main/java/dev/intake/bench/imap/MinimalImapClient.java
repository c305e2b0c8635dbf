package dev.intake.bench.imap;

import dev.intake.config.Secret;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The least an IMAP client can do, for measuring the limit and for delivering the corpus: TLS with host name
 * verification, SASL XOAUTH2, and a handful of commands whose literals are counted (or sent) as they stream by.
 * It neither parses MIME nor keeps what it fetches: whatever it reaches is what the server and TLS allow.
 *
 * <p>Not thread safe; one connection, one command at a time.
 */
public final class MinimalImapClient implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS_MESSAGES = Pattern.compile("MESSAGES (\\d+)", Pattern.CASE_INSENSITIVE);
    private static final int BUFFER = 64 * 1024;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] discard = new byte[BUFFER];
    private int tag;
    private String capabilities;

    private MinimalImapClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
    }

    /**
     * Connects over implicit TLS, checks the server's certificate and host name, and authenticates with XOAUTH2.
     *
     * @throws IOException when the server cannot be reached, the certificate is not trusted, or the token is refused
     */
    public static MinimalImapClient connect(String host, int port, SSLContext tls, String user, Secret token,
            Duration timeout) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        MinimalImapClient client = null;
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.startHandshake();
            client = new MinimalImapClient(socket);
            String greeting = client.readLine(null);
            if (!greeting.startsWith("* OK")) {
                throw new IOException("the IMAP server at " + host + ":" + port + " did not greet with OK: " + greeting);
            }
            String sasl = "user=" + user + "\u0001auth=Bearer " + token.reveal() + "\u0001\u0001";
            client.command("AUTHENTICATE", "AUTHENTICATE XOAUTH2 "
                    + Base64.getEncoder().encodeToString(sasl.getBytes(StandardCharsets.UTF_8)), null);
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** SELECTs a folder read-write. @return the number of messages in it */
    public int select(String folder) throws IOException {
        int exists = -1;
        for (String line : command("SELECT", "SELECT " + quote(folder), null)) {
            Matcher m = EXISTS.matcher(line);
            if (m.find()) {
                exists = Integer.parseInt(m.group(1));
            }
        }
        return exists;
    }

    /** Messages in a folder, by STATUS; 0 when the folder does not exist. */
    public int count(String folder) throws IOException {
        List<String> lines;
        try {
            lines = command("STATUS", "STATUS " + quote(folder) + " (MESSAGES)", null);
        } catch (ImapCommandException e) {
            return 0;
        }
        for (String line : lines) {
            Matcher m = STATUS_MESSAGES.matcher(line);
            if (line.startsWith("* STATUS") && m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    /** The UIDs of the selected folder, ascending. */
    public List<Long> uids() throws IOException {
        List<Long> uids = new ArrayList<>();
        for (String line : command("SEARCH", "UID SEARCH ALL", null)) {
            if (line.toUpperCase(Locale.ROOT).startsWith("* SEARCH")) {
                for (String n : line.substring("* SEARCH".length()).trim().split(" ")) {
                    if (!n.isEmpty()) {
                        uids.add(Long.parseLong(n));
                    }
                }
            }
        }
        uids.sort(null);
        return uids;
    }

    /**
     * Appends messages in order, pipelined: with LITERAL+ (RFC 7888) every APPEND goes out without waiting for the
     * server's go-ahead or the previous result, so a group costs one round trip instead of two per message. Without
     * LITERAL+, one by one.
     */
    public void appendAll(String folder, List<byte[]> messages) throws IOException {
        if (!literalPlus()) {
            for (byte[] m : messages) {
                append(folder, m);
            }
            return;
        }
        List<String> tags = new ArrayList<>(messages.size());
        for (byte[] m : messages) {
            String t = nextTag();
            ascii(t + " APPEND " + quote(folder) + " {" + m.length + "+}\r\n");
            out.write(m);
            ascii("\r\n");
            tags.add(t);
        }
        out.flush();
        for (String t : tags) {
            awaitTagged(t, "APPEND", null);
        }
    }

    private boolean literalPlus() throws IOException {
        if (capabilities == null) {
            capabilities = String.join(" ", command("CAPABILITY", "CAPABILITY", null)).toUpperCase(Locale.ROOT);
        }
        return capabilities.contains(" LITERAL+");
    }

    /** Appends one message to a folder (one round trip for the literal's go-ahead, one for the result). */
    public void append(String folder, byte[] message) throws IOException {
        String t = nextTag();
        ascii(t + " APPEND " + quote(folder) + " {" + message.length + "}\r\n");
        out.flush();
        String go = readLine(null);
        if (!go.startsWith("+")) {
            throw new ImapCommandException("APPEND", go);
        }
        out.write(message);
        ascii("\r\n");
        out.flush();
        awaitTagged(t, "APPEND", null);
    }

    /**
     * {@code UID FETCH from:to (BODY.PEEK[])}: every message's full body, counted and dropped as it arrives.
     *
     * @return messages and body bytes received
     */
    public FetchTotals fetchBodies(long fromUid, long toUid) throws IOException {
        long[] totals = new long[2];
        command("FETCH", "UID FETCH " + fromUid + ":" + toUid + " (BODY.PEEK[])", (size, stream) -> {
            long left = size;
            while (left > 0) {
                int n = stream.read(discard, 0, (int) Math.min(discard.length, left));
                if (n < 0) {
                    throw new IOException("the connection ended inside a message body");
                }
                left -= n;
            }
            totals[0]++;
            totals[1] += size;
        });
        return new FetchTotals(totals[0], totals[1]);
    }

    /** LOGOUT, then close. Never throws. */
    @Override
    public void close() {
        try {
            command("LOGOUT", "LOGOUT", null);
        } catch (IOException | RuntimeException e) {
            // Closing anyway.
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do.
        }
    }

    /** Messages and bytes of one FETCH. */
    public record FetchTotals(long messages, long bytes) {
    }

    /** What to do with a literal of {@code size} bytes that the stream is positioned at. */
    @FunctionalInterface
    interface LiteralSink {
        void accept(long size, InputStream stream) throws IOException;
    }

    /** A command the server answered NO or BAD. The message holds the command's verb, never its arguments. */
    public static final class ImapCommandException extends IOException {
        ImapCommandException(String verb, String answer) {
            super("IMAP " + verb + " failed: " + answer);
        }
    }

    private List<String> command(String verb, String line, LiteralSink sink) throws IOException {
        String t = nextTag();
        ascii(t + " " + line + "\r\n");
        out.flush();
        return awaitTagged(t, verb, sink);
    }

    private List<String> awaitTagged(String t, String verb, LiteralSink sink) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String response = readLine(sink);
            if (response.startsWith(t + " ")) {
                String status = response.substring(t.length() + 1);
                if (!status.regionMatches(true, 0, "OK", 0, 2)) {
                    throw new ImapCommandException(verb, status);
                }
                return untagged;
            }
            if (response.startsWith("+")) {
                // A SASL challenge carries the error of a refused token: answer empty, the tagged NO follows.
                ascii("\r\n");
                out.flush();
                continue;
            }
            untagged.add(response);
        }
    }

    /** One logical response line; literals inside it go to {@code sink} (or are skipped) and show as {@code {n}}. */
    private String readLine(LiteralSink sink) throws IOException {
        StringBuilder logical = new StringBuilder();
        while (true) {
            String physical = readPhysicalLine();
            logical.append(physical);
            Matcher m = LITERAL.matcher(physical);
            if (!m.find()) {
                return logical.toString();
            }
            long size = Long.parseLong(m.group(1));
            if (sink != null) {
                sink.accept(size, in);
            } else {
                in.skipNBytes(size);
            }
        }
    }

    private String readPhysicalLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        throw new IOException("the IMAP server closed the connection");
    }

    private String nextTag() {
        return "b" + (++tag);
    }

    private void ascii(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String quote(String folder) {
        return "\"" + folder.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
