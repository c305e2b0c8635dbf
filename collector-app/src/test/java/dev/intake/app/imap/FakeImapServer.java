package dev.intake.app.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal IMAP server over a real socket and real TLS, for what GreenMail cannot do: STARTTLS, a server without
 * AUTH=XOAUTH2, and a {@code * BYE ... AccessTokenExpired} in the middle of a session. It answers just enough of
 * IMAP4rev1 for Angus Mail to log in and select a folder, accepts any XOAUTH2 token, and records every line it
 * receives together with whether it arrived encrypted.
 */
final class FakeImapServer implements AutoCloseable {

    /** One line received from a client. */
    record Received(boolean encrypted, String line) {
    }

    private final SSLContext tls;
    private final boolean implicitTls;
    private final String capabilities;
    private final String capabilitiesAfterStartTls;
    private final ServerSocket listener;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile String byeOnCommand;
    private volatile String byeText;
    private volatile boolean announceUidNext = true;

    private FakeImapServer(SSLContext tls, boolean implicitTls, String capabilities, String afterStartTls)
            throws IOException {
        this.tls = tls;
        this.implicitTls = implicitTls;
        this.capabilities = capabilities;
        this.capabilitiesAfterStartTls = afterStartTls;
        this.listener = implicitTls
                ? tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-imap-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** TLS from the first byte, advertising the given capabilities. */
    static FakeImapServer implicitTls(SSLContext tls, String capabilities) throws IOException {
        return new FakeImapServer(tls, true, capabilities, capabilities);
    }

    /** Plain until STARTTLS; {@code before} should list STARTTLS, {@code after} is what it offers once encrypted. */
    static FakeImapServer startTls(SSLContext tls, String before, String after) throws IOException {
        return new FakeImapServer(tls, false, before, after);
    }

    /** From now on, answer a command starting with {@code command} (e.g. "UID FETCH") with {@code * BYE text}. */
    FakeImapServer byeOn(String command, String text) {
        this.byeOnCommand = command.toUpperCase(Locale.ROOT);
        this.byeText = text;
        return this;
    }

    /** SELECT answers without the (optional) UIDNEXT. */
    FakeImapServer withoutUidNext() {
        this.announceUidNext = false;
        return this;
    }

    int port() {
        return listener.getLocalPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The commands received (tags removed), e.g. {@code AUTHENTICATE XOAUTH2 dXNl...}. */
    List<String> commands() {
        List<String> commands = new ArrayList<>();
        for (Received r : received) {
            int space = r.line().indexOf(' ');
            commands.add(space < 0 ? r.line() : r.line().substring(space + 1));
        }
        return commands;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : clients) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                clients.add(client);
                Thread handler = new Thread(() -> serve(client), "scripted-imap-client");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (Socket s = socket) {
            Connection c = new Connection(s, implicitTls, implicitTls ? capabilitiesAfterStartTls : capabilities);
            c.send("* OK [CAPABILITY " + c.capabilities + "] scripted IMAP server ready");
            String line;
            while ((line = c.readLine()) != null) {
                received.add(new Received(c.encrypted, line));
                if (!answer(c, line)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away or the server was closed: nothing to do
        }
    }

    /** Answers one command; false ends the connection. */
    private boolean answer(Connection c, String line) throws IOException {
        String[] parts = line.split(" ", 3);
        String tag = parts[0];
        String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
        String rest = parts.length > 2 ? parts[2] : "";
        String full = (command + " " + rest).toUpperCase(Locale.ROOT);
        if (byeOnCommand != null && full.startsWith(byeOnCommand)) {
            c.send("* BYE " + byeText);
            return false;
        }
        switch (command) {
            case "CAPABILITY" -> {
                c.send("* CAPABILITY " + c.capabilities);
                c.send(tag + " OK CAPABILITY completed");
            }
            case "STARTTLS" -> {
                if (c.encrypted) {
                    c.send(tag + " BAD already encrypted");
                } else {
                    c.send(tag + " OK begin TLS negotiation now");
                    c.upgrade(tls);
                    c.capabilities = capabilitiesAfterStartTls;
                }
            }
            case "AUTHENTICATE" -> {
                if (!rest.toUpperCase(Locale.ROOT).startsWith("XOAUTH2")) {
                    c.send(tag + " NO unsupported mechanism");
                } else {
                    if (!rest.contains(" ")) { // no initial response: ask for it
                        c.send("+ ");
                        String response = c.readLine();
                        received.add(new Received(c.encrypted, response));
                    }
                    c.send(tag + " OK AUTHENTICATE completed");
                }
            }
            case "LOGIN" -> c.send(tag + " NO LOGIN is refused here");
            case "NOOP", "ENABLE", "ID", "SUBSCRIBE" -> c.send(tag + " OK " + command + " completed");
            case "SELECT", "EXAMINE" -> {
                c.send("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
                c.send("* 1 EXISTS");
                c.send("* 0 RECENT");
                c.send("* OK [UIDVALIDITY 7] UIDs valid");
                if (announceUidNext) {
                    c.send("* OK [UIDNEXT 2] predicted next UID");
                }
                c.send("* OK [PERMANENTFLAGS (\\Deleted \\Seen)] limited");
                c.send(tag + " OK [READ-WRITE] " + command + " completed");
            }
            case "UID" -> {
                // Only "UID FETCH <set> (UID)", which Angus uses to map UIDs; the folder holds UID 1 only.
                c.send("* 1 FETCH (UID 1)");
                c.send(tag + " OK UID FETCH completed");
            }
            case "LIST" -> {
                c.send("* LIST () \"/\" \"\"");
                c.send(tag + " OK LIST completed");
            }
            case "LOGOUT" -> {
                c.send("* BYE logging out");
                c.send(tag + " OK LOGOUT completed");
                return false;
            }
            default -> c.send(tag + " BAD " + command + " is not scripted");
        }
        return true;
    }

    /** One client connection, which STARTTLS may upgrade in place. */
    private static final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        boolean encrypted;
        String capabilities;

        Connection(Socket socket, boolean encrypted, String capabilities) throws IOException {
            this.socket = socket;
            this.encrypted = encrypted;
            this.capabilities = capabilities;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void upgrade(SSLContext tls) throws IOException {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(
                    socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            socket = ssl;
            in = ssl.getInputStream();
            out = ssl.getOutputStream();
            encrypted = true;
        }

        void send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Reads up to CRLF byte by byte, so nothing after the line is consumed (STARTTLS needs that). */
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            return null;
        }
    }
}
