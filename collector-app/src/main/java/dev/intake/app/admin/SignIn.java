package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
        // The attempt is counted before the password is checked, so that parallel guesses cannot all be checked.
        Optional<Duration> blocked = throttle.reserveAttempt(keys);
        if (blocked.isPresent()) {
            log.warn("Sign-in as {} from {} refused unchecked: too many failed sign-ins", loggable(name), clientAddress);
            return new Result.Throttled(blocked.get());
        }
        Optional<String> admin;
        try {
            admin = name.isEmpty() ? Optional.empty() : checkPassword(name, password);
        } catch (BusyException busy) {
            return new Result.Throttled(BUSY_RETRY);
        }
        if (admin.isEmpty()) {
            log.warn("Failed sign-in as {} from {}", loggable(name), clientAddress);
            return new Result.Refused();
        }
        throttle.recordSuccess(keys);
        log.info("Admin '{}' signed in from {}", admin.get(), clientAddress);
        return new Result.SignedIn(sessions.open(admin.get()));
    }

    /**
     * bcrypt costs tens of milliseconds of a core by design; a flood of sign-ins from many addresses must not take
     * every core from collection, so only a few are checked at once and the rest wait briefly, then are told to retry.
     */
    private Optional<String> checkPassword(String name, Secret password) {
        boolean permitted;
        try {
            permitted = bcryptSlots.tryAcquire(BUSY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException();
        }
        if (!permitted) {
            throw new BusyException();
        }
        try {
            return admins.authenticate(name, password);
        } finally {
            bcryptSlots.release();
        }
    }

    private static final class BusyException extends RuntimeException {
        BusyException() {
            super(null, null, false, false);
        }
    }

    /** Password checks at once: enough for admins, few enough to leave cores to collection. */
    static final int CONCURRENT_CHECKS = Math.max(2, Runtime.getRuntime().availableProcessors());
    private static final Duration BUSY_WAIT = Duration.ofSeconds(5);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(5);
    private final Semaphore bcryptSlots = new Semaphore(CONCURRENT_CHECKS, true);

    /**
     * Only names of real admins reach the log: what someone typed into the name field may be a password typed in
     * the wrong field, or line breaks that would forge log lines.
     */
    private String loggable(String name) {
        return admins.isAdmin(name) ? "'" + name + "'" : "an unknown user name";
    }
}
