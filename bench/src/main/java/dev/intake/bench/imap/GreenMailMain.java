package dev.intake.bench.imap;

import dev.intake.bench.ParentWatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Entry point of the IMAP server process: GreenMail standalone, configured from a properties file (so that user
 * passwords, which are the accepted access tokens, stay off the command line) and ended when the benchmark ends.
 *
 * <p>Arguments: the benchmark's process id, the properties file.
 */
public final class GreenMailMain {

    private GreenMailMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start(Long.parseLong(args[0]));
        Properties settings = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            settings.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("could not read the GreenMail settings " + args[1], e);
        }
        settings.forEach((k, v) -> System.setProperty((String) k, (String) v));
        // The runner is in greenmail-standalone.jar, which is on this process's class path only.
        Class.forName("com.icegreen.greenmail.standalone.GreenMailStandaloneRunner")
                .getMethod("main", String[].class).invoke(null, (Object) new String[0]);
    }
}
