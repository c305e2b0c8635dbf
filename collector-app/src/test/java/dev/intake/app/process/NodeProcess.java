package dev.intake.app.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Intake node as an operator runs it: {@code java -jar intake.jar run --config FILE} in its own JVM and working
 * directory, its output captured in a file under {@code target/process-it}. Tests stop it the two ways a node
 * stops in production: {@link #terminate} (SIGTERM, what systemd and Kubernetes send) and {@link #kill} (SIGKILL:
 * {@link Process#destroyForcibly()} on Linux, as a crash, an OOM kill or a pulled plug).
 */
public final class NodeProcess implements AutoCloseable {

    /** Where failsafe puts the jar it built ({@code intake.jar}, with its libraries in {@code lib/} beside it). */
    static final Path JAR = Path.of(System.getProperty("intake.jar", "target/intake.jar"));

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Nodes still running when the test JVM exits (a test that never reached its cleanup) are killed with it. */
    private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "kill-intake-nodes"));
    }

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private NodeProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code intake run --config config} in {@code workDir}; the output goes to {@code log} (appended, so a
     * restarted node keeps one file). Returns at once; see {@link #awaitReady()}.
     */
    static NodeProcess start(String name, Path workDir, Path config, int port, Path log) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " does not exist: run the process tests through Maven "
                    + "(mvn -pl collector-app -am verify), which packages the jar before failsafe runs them");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Small, quick-starting JVMs: several share two cores with the test JVM.
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", JAR.toAbsolutePath().toString(),
                "run", "--config", config.toAbsolutePath().toString()));
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(log.getParent());
            Files.writeString(log, "=== " + name + " starting: " + String.join(" ", command) + System.lineSeparator(),
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().remove("INTAKE_CONFIG");
            Process process = builder.start();
            RUNNING.add(process);
            process.onExit().thenRun(() -> RUNNING.remove(process));
            return new NodeProcess(name, port, log, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node " + name, e);
        }
    }

    /**
     * Waits until {@code /health/ready} answers 200 (database migrated, scheduler started).
     *
     * @throws IllegalStateException with the end of the node's log when it exits or is not ready in time
     */
    NodeProcess awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " exited with " + process.exitValue()
                        + " before it was ready; its log ends with:\n" + logTail());
            }
            if (readyStatus().orElse(0) == 200) {
                return this;
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException("node " + name + " was not ready within " + READY_TIMEOUT.toSeconds()
                + "s; its log ends with:\n" + logTail());
    }

    /** The status of {@code /health/ready}, or empty when nothing answers. */
    Optional<Integer> readyStatus() {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url("/health/ready")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return Optional.of(r.statusCode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the JVM gets no chance to do anything. Returns once the process is gone. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGKILL without waiting: safe to call from another server's thread (see {@link #awaitDeath()}). */
    void sigkill() {
        process.destroyForcibly();
    }

    /** Waits until the process is gone (after {@link #sigkill()}). */
    void awaitDeath() {
        if (awaitExit(Duration.ofSeconds(30)).isEmpty()) {
            throw new IllegalStateException(this + " still runs 30s after SIGKILL");
        }
    }

    /**
     * SIGTERM, then waits up to {@code within} for the process to exit.
     *
     * @return the exit code, or empty when it was still running at the deadline (it is then left running)
     */
    Optional<Integer> terminate(Duration within) {
        process.destroy();
        return awaitExit(within);
    }

    private Optional<Integer> awaitExit(Duration within) {
        try {
            return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the process to exit on its own (for commands that refuse to start).
     *
     * @return the exit code, or empty when it was still running at the deadline
     */
    Optional<Integer> awaitExitCode(Duration within) {
        return awaitExit(within);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Everything the node (and its earlier lives, when restarted with the same log) printed so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTail() {
        String all = log();
        return all.length() <= 6_000 ? all : all.substring(all.length() - 6_000);
    }

    /** Kills the node if it is still running: a failed test must not leave JVMs behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + ", port " + port + ")";
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
