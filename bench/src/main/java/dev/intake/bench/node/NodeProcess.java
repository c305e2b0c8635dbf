package dev.intake.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.bench.ChildProcesses;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's handle on an {@link IntakeNode} process: starts it with the heap limit under test, sends commands,
 * reads answers, and reads the process's peak RSS from {@code /proc}. The node's log goes to {@code intake.log}.
 */
public final class NodeProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;
    private final Thread reader;
    private JsonNode ready;

    private NodeProcess(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.reader = new Thread(this::readOutput, "bench-node-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The garbage collector the {@code intake} launcher chooses unless INTAKE_JAVA_OPTS names another. */
    static final String LAUNCHER_GC = "-XX:+UseParallelGC";

    /**
     * Starts a node on {@code config} and waits until Intake is up (at most two minutes).
     *
     * @param jvmOptions e.g. {@code -Xmx256m}
     */
    public static NodeProcess start(Path dir, Path config, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError");
        if (jvmOptions.stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            command.add(LAUNCHER_GC);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(IntakeNode.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(config.toString());
        // A second node in the same directory (a restart) keeps the first one's log.
        Path log = dir.resolve("intake.log");
        for (int i = 2; Files.exists(log); i++) {
            log = dir.resolve("intake-" + i + ".log");
        }
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        ChildProcesses.register(process);
        NodeProcess node = new NodeProcess(process, log);
        try {
            node.ready = node.await(Duration.ofMinutes(2), "start");
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Intake's HTTP port. */
    public int httpPort() {
        return ready.get("port").asInt();
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /**
     * Sends one command and waits for its answer.
     *
     * @throws NodeFailedException when the node answers with an error, dies, or does not answer in time
     */
    public synchronized JsonNode request(String command, Duration timeout) throws IOException {
        commands.write(command + "\n");
        commands.flush();
        JsonNode answer = await(timeout, command);
        if (!answer.path("ok").asBoolean(false)) {
            throw new NodeFailedException("the Intake node answered '" + command + "' with " + answer.path("error").asText()
                    + "; its log is " + log);
        }
        return answer;
    }

    /** The node's peak resident set size so far (VmHWM), when the system reports it. */
    public OptionalLong peakRss() {
        return procStatus("VmHWM:");
    }

    /** The node's resident set size now (VmRSS), when the system reports it. */
    public OptionalLong rss() {
        return procStatus("VmRSS:");
    }

    /** Asks the node to stop (Intake closes as on SIGTERM) and waits for the process to end. */
    public void stop() throws IOException {
        if (process.isAlive()) {
            request("stop", Duration.ofMinutes(1));
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    throw new NodeFailedException("the Intake node did not exit within 60 s after stop; its log is " + log);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the node", e);
            }
        }
        joinReader();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process, 30);
        joinReader();
    }

    private void joinReader() {
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode await(Duration timeout, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String line = answers.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    return JSON.readTree(line);
                }
                if (!process.isAlive() && answers.isEmpty()) {
                    joinReader();
                    if (!answers.isEmpty()) {
                        continue;
                    }
                    throw new NodeFailedException("the Intake node exited with code " + process.exitValue() + " during '"
                            + what + "'" + (process.exitValue() == 3 ? " (out of memory: -XX:+ExitOnOutOfMemoryError)" : "")
                            + "; last lines of " + log + ":\n" + tail(log, 15));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the node", e);
        }
        throw new NodeFailedException("the Intake node did not answer '" + what + "' within " + timeout.toSeconds()
                + " s; its log is " + log);
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(IntakeNode.MARK)) {
                    answers.add(line.substring(IntakeNode.MARK.length()));
                } else {
                    file.write(line);
                    file.write('\n');
                }
            }
        } catch (IOException e) {
            // The process ended; await() reports it.
        }
    }

    private OptionalLong procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone.
        }
        return OptionalLong.empty();
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(log not readable)";
        }
    }

    /** The node failed, died or stalled; the message names its log. */
    public static final class NodeFailedException extends IOException {
        NodeFailedException(String message) {
            super(message);
        }
    }
}
