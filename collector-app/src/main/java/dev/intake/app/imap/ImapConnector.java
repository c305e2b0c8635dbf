package dev.intake.app.imap;

import dev.intake.config.Secret;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens IMAP sessions authenticated with SASL XOAUTH2 over TLS (implicit or required STARTTLS).
 *
 * <p>XOAUTH2 is the only mechanism ever used: a server that does not offer it gets no credentials at all, instead of
 * receiving the token as a LOGIN password. The protocol is never traced, because the XOAUTH2 exchange carries the
 * token. One connector serves any number of targets and threads; each session belongs to one thread.
 */
public final class ImapConnector {

    private static final Logger log = LoggerFactory.getLogger(ImapConnector.class);

    private final TlsTrust trust;

    public ImapConnector(TlsTrust trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /**
     * Connects, secures the connection, and authenticates {@code target.user()} with the access token.
     *
     * @throws ImapAuthenticationException the server refused the token: refresh it and try once more
     * @throws ImapConnectException        the server could not be reached or secured, or lacks XOAUTH2
     */
    public ImapSession open(ImapTarget target, Secret accessToken) throws ImapException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(accessToken, "accessToken");
        if (accessToken.isEmpty()) {
            throw new IllegalArgumentException("the access token for " + target.user() + " is empty");
        }
        Session mailSession = Session.getInstance(ImapProperties.forTarget(target, trust));
        Xoauth2OnlyStore store = new Xoauth2OnlyStore(mailSession, target.security());
        try {
            store.connect(target.host(), target.port(), target.user(), accessToken.reveal());
        } catch (MessagingException e) {
            ImapException failure = ImapFailures.connecting(e, target, trust, accessToken);
            log.debug("IMAP connect to {} as {} failed: {}", target.address(), target.user(), failure.getMessage());
            throw failure;
        }
        log.debug("IMAP session opened with {} as {}", target.address(), target.user());
        return new ImapSession(store, target, accessToken);
    }
}
