package dev.intake.app.web;

import dev.intake.config.Secret;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /internal/command}: a command beside this node (same machine, same user) runs in it, because the node
 * holds the H2 file. Taken only from this machine and with the token the node wrote to a file only its user can read;
 * everything else gets 404, as if the route did not exist.
 */
final class LocalCommandRoutes {

    static final String PATH = "/internal/command";

    private static final Logger log = LoggerFactory.getLogger(LocalCommandRoutes.class);

    private volatile Secret token;
    private volatile LocalCommands commands;

    void accept(Secret token, LocalCommands commands) {
        this.token = token;
        this.commands = commands;
    }

    void register(RoutesConfig routes) {
        routes.post(PATH, this::run);
    }

    private void run(Context ctx) {
        Secret expected = token;
        String presented = ctx.header("Authorization");
        if (expected == null || !loopback(ctx) || presented == null || !presented.startsWith("Bearer ")
                || !expected.equals(Secret.of(presented.substring("Bearer ".length())))) {
            ctx.status(404).json(Map.of("error", "not found"));
            return;
        }
        List<String> args = ctx.bodyAsClass(Request.class).args();
        log.info("Running `intake {}` for a command beside this node", String.join(" ", args));
        LocalCommands.Result result = commands.run(args);
        ctx.json(Map.of("exitCode", result.exitCode(), "out", result.out(), "err", result.err()));
    }

    /** From this machine: loopback, or one of its own addresses (when the node listens on a single address). */
    private static boolean loopback(Context ctx) {
        try {
            InetAddress remote = InetAddress.getByName(ctx.req().getRemoteAddr());
            return remote.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(remote) != null;
        } catch (UnknownHostException | java.net.SocketException e) {
            return false;
        }
    }

    record Request(List<String> args) {
    }
}
