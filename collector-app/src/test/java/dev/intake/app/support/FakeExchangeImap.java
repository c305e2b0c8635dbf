package dev.intake.app.support;

import dev.intake.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Exchange Online's IMAP front as an app-only client meets it, in front of GreenMail: TLS with the test certificate
 * on its own port, every command relayed to GreenMail over IMAPS, so GreenMail checks the XOAUTH2 token for real.
 * Until {@link #grantMailboxAccess()} (the admin ran New-ServicePrincipal and Add-MailboxPermission), it answers
 * as Exchange does when those steps are missing: the AUTHENTICATE succeeds, and every command after it is answered
 * {@code BAD User is authenticated but not connected.}
 */
public final class FakeExchangeImap implements AutoCloseable {

    /** Exchange Online's words, verbatim. */
    public static final String NOT_CONNECTED = "User is authenticated but not connected.";

    private final int greenMailPort;
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean accessGranted;
    private volatile boolean closed;

    public FakeExchangeImap(int greenMailImapsPort) {
        this.greenMailPort = greenMailImapsPort;
        try {
            this.listener = TestCertificates.get().serverContext().getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "fake-exchange-imap");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The service principal is registered and has FullAccess from now on (new sessions only, as at Exchange). */
    public void grantMailboxAccess() {
        accessGranted = true;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = TestCertificates.get().clientContext().getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), greenMailPort);
                open.add(client);
                open.add(server);
                boolean granted = accessGranted;
                Thread session = new Thread(() -> relay(client, server, granted), "fake-exchange-imap-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void relay(Socket client, Socket server, boolean granted) {
        try (client; server) {
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            InputStream fromServer = server.getInputStream();
            OutputStream toServer = server.getOutputStream();
            if (granted) {
                Thread up = new Thread(() -> pump(fromClient, toServer), "fake-exchange-imap-up");
                up.setDaemon(true);
                up.start();
                pump(fromServer, toClient);
                return;
            }
            // line by line until the login; nothing before it carries literals
            send(toClient, readLine(fromServer));
            boolean authenticated = false;
            String line;
            while ((line = readLine(fromClient)) != null) {
                String[] parts = line.split(" ", 3);
                String tag = parts[0];
                String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
                if (authenticated) {
                    if (command.equals("LOGOUT")) {
                        send(toClient, "* BYE Microsoft Exchange Server IMAP4 server signing off.");
                        send(toClient, tag + " OK LOGOUT completed.");
                        return;
                    }
                    send(toClient, tag + " BAD " + NOT_CONNECTED);
                    continue;
                }
                send(toServer, line);
                String answer;
                while ((answer = readLine(fromServer)) != null) {
                    send(toClient, answer);
                    if (answer.startsWith("+")) {
                        send(toServer, readLine(fromClient)); // the client's continuation
                    } else if (answer.startsWith(tag + " ")) {
                        authenticated = command.equals("AUTHENTICATE") && answer.startsWith(tag + " OK");
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a closed connection ends the session
        }
    }

    private static void pump(InputStream in, OutputStream out) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed
        }
    }

    private static void send(OutputStream out, String line) throws IOException {
        if (line == null) {
            throw new IOException("the other side closed");
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
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

    @Override
    public void close() {
        closed = true;
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
