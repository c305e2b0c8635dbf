package dev.intake.bench.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

/** Starting a server process of the benchmark's: a free port for it, and waiting until it listens there. */
final class Listening {

    private Listening() {
    }

    /** A port free on the loopback interface now. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code process} accepts connections on 127.0.0.1:{@code port}; fails early if it exits. */
    static void await(Process process, String name, int port, long timeoutMillis, Path log) throws IOException {
        // An address, so that no name lookup is involved.
        InetSocketAddress listening = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " before it listened; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(listening, 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + name, e);
                }
            }
        }
        throw new IOException(name + " did not listen on 127.0.0.1:" + port + " within " + timeoutMillis / 1000
                + " s; see " + log);
    }
}
