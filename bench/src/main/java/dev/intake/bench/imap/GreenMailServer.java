package dev.intake.bench.imap;

import dev.intake.bench.ChildProcesses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * GreenMail standalone in a process of its own: IMAPS on 127.0.0.1 with the benchmark's localhost certificate, and
 * users whose XOAUTH2 bearer token must equal their password (the fake authorization server's fixed access token).
 * Its log goes to {@code greenmail.log} in the scenario's directory.
 */
public final class GreenMailServer implements ImapServer {

    private final Process process;
    private final int port;

    private GreenMailServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server and waits (at most 60 seconds) until it accepts connections.
     *
     * @param heap the server's -Xmx, e.g. {@code 3g}: GreenMail keeps every message in memory
     */
    public static GreenMailServer start(Path dir, Path greenMailJar, List<User> users, Path keystore, String password,
            String heap) throws IOException {
        Files.createDirectories(dir);
        int port = Listening.freePort();
        Properties settings = new Properties();
        settings.setProperty("greenmail.imaps.hostname", "127.0.0.1");
        settings.setProperty("greenmail.imaps.port", Integer.toString(port));
        settings.setProperty("greenmail.users.login", "email");
        settings.setProperty("greenmail.users", users.stream()
                .map(u -> u.address().replace("@", ":" + u.token().reveal() + "@"))
                .collect(Collectors.joining(",")));
        settings.setProperty("greenmail.tls.keystore.file", keystore.toString());
        settings.setProperty("greenmail.tls.keystore.password", password);
        settings.setProperty("greenmail.startup.timeout", "30000");
        Path settingsFile = dir.resolve("greenmail.properties");
        Files.deleteIfExists(settingsFile);
        Files.createFile(settingsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(settingsFile)) {
            settings.store(out, "GreenMail settings for one benchmark scenario (passwords are the accepted tokens)");
        }

        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-XX:+UseParallelGC", "-Xlog:gc:file=" + dir.resolve("gc.log"),
                "-cp", ownLocation() + java.io.File.pathSeparator + greenMailJar,
                GreenMailMain.class.getName(), Long.toString(ProcessHandle.current().pid()), settingsFile.toString()));
        Path log = dir.resolve("greenmail.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildProcesses.register(process);
        GreenMailServer server = new GreenMailServer(process, port);
        try {
            Listening.await(process, "GreenMail", port, 60_000, log);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public double cpuSeconds() {
        return ProcessCpu.ofTree(process.pid());
    }

    @Override
    public String describe() {
        return "GreenMail standalone (in memory, XOAUTH2 token as password)";
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 10);
    }

    /** The jar or classes directory this class came from: the server process needs GreenMailMain from it. */
    private static String ownLocation() {
        try {
            return Path.of(GreenMailMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

}
