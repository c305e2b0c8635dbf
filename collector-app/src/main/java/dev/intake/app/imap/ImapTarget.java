package dev.intake.app.imap;

import dev.intake.config.ImapSecurity;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom to open an IMAP session.
 *
 * @param host           the IMAP server, e.g. {@code outlook.office365.com}; must match its certificate
 * @param port           993 for {@link ImapSecurity#TLS}, usually 143 for {@link ImapSecurity#STARTTLS}
 * @param security       how the connection is secured; both verify the certificate and the host name
 * @param user           the mailbox address, the {@code user=} of SASL XOAUTH2 (a shared mailbox's own address)
 * @param connectTimeout how long to wait for the TCP connection
 * @param readTimeout    how long to wait for any answer of the server once connected
 */
public record ImapTarget(
        String host, int port, ImapSecurity security, String user, Duration connectTimeout, Duration readTimeout) {

    /** Timeouts that suit the big providers: a slow answer is rare, a hung one should not stall a worker. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    public ImapTarget {
        Objects.requireNonNull(security, "security");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("IMAP host is empty: set the mailbox's IMAP host or use the provider's default");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("IMAP port " + port + " is not a TCP port (1-65535): use 993 for TLS or 143 for STARTTLS");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("IMAP user is empty: set the mailbox address");
        }
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(readTimeout, "read timeout");
    }

    /** A target with {@link #DEFAULT_CONNECT_TIMEOUT} and {@link #DEFAULT_READ_TIMEOUT}. */
    public static ImapTarget of(String host, int port, ImapSecurity security, String user) {
        return new ImapTarget(host, port, security, user, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    private static void requirePositive(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("IMAP " + what + " " + timeout + " must be positive and below 24 days");
        }
    }
}
