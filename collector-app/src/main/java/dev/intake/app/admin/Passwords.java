package dev.intake.app.admin;

import dev.intake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Admin passwords as bcrypt hashes (Spring Security's implementation), the format {@code admins[].password-hash}
 * takes. Passwords and hashes travel as {@link Secret}s so that neither reaches a log line.
 *
 * <p>Uses {@link BCrypt} itself rather than {@code BCryptPasswordEncoder}: the encoder needs commons-logging at
 * run time, which spring-security-crypto does not bring along.
 */
public final class Passwords {

    /** The work factor of new hashes: about a quarter of a second on a server of today. */
    public static final int COST = 12;
    /** Shorter passwords are refused when a hash is made. */
    public static final int MIN_LENGTH = 12;
    /** bcrypt reads only this many bytes; a longer password would be silently cut, so it is refused instead. */
    public static final int MAX_BYTES = 72;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int cost;
    private volatile String decoy;

    public Passwords() {
        this(COST);
    }

    /** Tests use a low cost to stay fast; production always uses {@link #COST}. */
    Passwords(int cost) {
        this.cost = cost;
    }

    /**
     * A new bcrypt hash of {@code password}.
     *
     * @throws IllegalArgumentException when {@link #problem} finds one; the message says what to change
     */
    public Secret hash(Secret password) {
        problem(password).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        return Secret.of(encode(password.reveal()));
    }

    /** What is wrong with a new password, in words for the person choosing it; empty when it is usable. */
    public static Optional<String> problem(Secret password) {
        String p = password.reveal();
        if (p.codePointCount(0, p.length()) < MIN_LENGTH) {
            return Optional.of("the password is too short; use at least " + MIN_LENGTH + " characters");
        }
        if (p.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Optional.of("the password is too long for bcrypt, which reads only the first " + MAX_BYTES
                    + " bytes; use a shorter one");
        }
        if (!p.strip().equals(p)) {
            return Optional.of("the password starts or ends with a space; leave those out");
        }
        return Optional.empty();
    }

    /** Whether {@code password} matches a stored bcrypt hash. A malformed hash or an over-long password never matches. */
    public boolean matches(Secret password, Secret hash) {
        if (!BCRYPT.matcher(hash.reveal()).matches() || password.reveal().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            // Spend the same time as a real check, so that the answer's timing says nothing.
            spendDecoyCheck(password);
            return false;
        }
        return BCrypt.checkpw(password.reveal(), hash.reveal());
    }

    /**
     * Checks {@code password} against a hash nobody knows the password of, so that a sign-in with an unknown user
     * name takes as long as one with a wrong password and does not tell a guesser which names exist.
     */
    public void spendDecoyCheck(Secret password) {
        String d = decoy;
        if (d == null) {
            d = encode(randomPassword().reveal());
            decoy = d;
        }
        String p = password.reveal();
        byte[] bytes = p.getBytes(StandardCharsets.UTF_8);
        BCrypt.checkpw(bytes.length > MAX_BYTES ? p.substring(0, Math.min(p.length(), MAX_BYTES / 4)) : p, d);
    }

    private String encode(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(cost, RANDOM));
    }

    /** A random password of 24 characters (144 bits), for the initial admin. */
    public static Secret randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
}
