package dev.intake.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * A relay in front of a real IMAPS server (GreenMail) that ends TLS on both sides, so that a test can make the
 * server behave as servers do that GreenMail cannot imitate: say {@code * BYE ...} on every open connection (as
 * Exchange does with {@code AccessTokenExpired}) and hang up, drop every connection, or leave a capability out of
 * every CAPABILITY the server announces (a server without IDLE). Everything else passes through unchanged, both ways.
 * It presents {@link TestCertificates}' localhost certificate, as GreenMail does.
 */
public final class ImapTlsRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private final List<Relayed> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile Pattern hidden;
    private volatile boolean closed;

    /** Relays to the IMAPS server on {@code serverPort} of the loopback address. */
    public ImapTlsRelay(int serverPort) {
        this.serverPort = serverPort;
        try {
            this.listener = TestCertificates.get().serverContext().getServerSocketFactory()
                    .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "imap-tls-relay-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections relayed so far: how many IMAP sessions the client opened. */
    public int connectionsRelayed() {
        return accepted.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return open.size();
    }

    /** Leaves {@code capability} (e.g. {@code IDLE}) out of the server's CAPABILITY answers from now on. */
    public ImapTlsRelay hideCapability(String capability) {
        this.hidden = Pattern.compile(" " + Pattern.quote(capability.toUpperCase(Locale.ROOT)) + "(?=[ \\]\\r])");
        return this;
    }

    /** Sends {@code * BYE text} on every open connection, as the server would, and hangs up. */
    public void sayByeAndHangUp(String text) {
        for (Relayed r : open) {
            r.bye(text);
        }
    }

    /** Drops every open connection without a word. */
    public void dropConnections() {
        for (Relayed r : open) {
            r.close();
        }
    }

    private void accept() {
        while (!closed) {
            try {
                SSLSocket client = (SSLSocket) listener.accept();
                Socket server = TestCertificates.get().clientContext().getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), serverPort);
                accepted.incrementAndGet();
                Relayed r = new Relayed(client, server);
                open.add(r);
                r.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One client connection and its connection to the server. */
    private final class Relayed {
        private final Socket client;
        private final Socket server;
        private final Object clientWrite = new Object();

        Relayed(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            daemon(this::serverToClient, "imap-tls-relay-down").start();
            daemon(this::clientToServer, "imap-tls-relay-up").start();
        }

        /** Line by line, so CAPABILITY lines can be changed; literals pass through as the bytes they are. */
        private void serverToClient() {
            try (InputStream in = server.getInputStream()) {
                OutputStream out = client.getOutputStream();
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                byte[] buf = new byte[16 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    int start = 0;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            line.write(buf, start, i + 1 - start);
                            send(out, rewrite(line.toByteArray()));
                            line.reset();
                            start = i + 1;
                        }
                    }
                    line.write(buf, start, n - start);
                    if (line.size() > 0 && in.available() == 0) {
                        // a partial line (a literal's bytes, a continuation "+ "): pass it on now
                        send(out, line.toByteArray());
                        line.reset();
                    }
                }
            } catch (IOException ignored) {
                // a dropped connection ends the relay
            } finally {
                close();
            }
        }

        private void clientToServer() {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = client.getInputStream()) {
                OutputStream out = server.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // a dropped connection ends the relay
            } finally {
                close();
            }
        }

        private byte[] rewrite(byte[] line) {
            Pattern hide = hidden;
            if (hide == null) {
                return line;
            }
            String text = new String(line, StandardCharsets.ISO_8859_1);
            if (!text.toUpperCase(Locale.ROOT).contains("CAPABILITY")) {
                return line;
            }
            return hide.matcher(text).replaceAll("").getBytes(StandardCharsets.ISO_8859_1);
        }

        private void send(OutputStream out, byte[] bytes) throws IOException {
            synchronized (clientWrite) {
                out.write(bytes);
                out.flush();
            }
        }

        void bye(String text) {
            try {
                send(client.getOutputStream(), ("* BYE " + text + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // already gone
            }
            close();
        }

        void close() {
            open.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        dropConnections();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
