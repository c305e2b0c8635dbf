package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An admin's sign-in: throttling first, then the password, then a new session. */
public final class SignIn {

    /** How a sign-in attempt ended. */
    public sealed interface Result {

        /** The password was right; the browser gets this session. */
        record SignedIn(AdminSession session) implements Result {
        }

        /** Unknown user name or wrong password; which of the two is not told. */
        record Refused() implements Result {
        }

        /** Too many failures from this address or for this name; nothing was checked. */
        record Throttled(Duration retryAfter) implements Result {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SignIn.class);

    private final AdminDirectory admins;
    private final AdminSessions sessions;
    private final SignInFailureStore throttle;

    public SignIn(AdminDirectory admins, AdminSessions sessions, SignInFailureStore throttle) {
        this.admins = admins;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    public Result attempt(String username, Secret password, String clientAddress) {
        String name = username == null ? "" : username.strip();
        List<String> keys = List.of("address:" + clientAddress, "user:" + name.toLowerCase(Locale.ROOT));
        Optional<Duration> blocked = throttle.blockedFor(keys);
        if (blocked.isPresent()) {
            log.warn("Sign-in as {} from {} refused unchecked: too many failed sign-ins", loggable(name), clientAddress);
            return new Result.Throttled(blocked.get());
        }
        Optional<String> admin = name.isEmpty() ? Optional.empty() : admins.authenticate(name, password);
        if (admin.isEmpty()) {
            throttle.recordFailure(keys);
            log.warn("Failed sign-in as {} from {}", loggable(name), clientAddress);
            return new Result.Refused();
        }
        throttle.recordSuccess(keys);
        log.info("Admin '{}' signed in from {}", admin.get(), clientAddress);
        return new Result.SignedIn(sessions.open(admin.get()));
    }

    /**
     * Only names of real admins reach the log: what someone typed into the name field may be a password typed in
     * the wrong field, or line breaks that would forge log lines.
     */
    private String loggable(String name) {
        return admins.isAdmin(name) ? "'" + name + "'" : "an unknown user name";
    }
}
