package dev.intake.app.imap;

import dev.intake.config.ImapSecurity;
import jakarta.mail.Session;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;

/**
 * Angus's IMAP store, refusing to log in unless the server offers SASL XOAUTH2.
 *
 * <p>Why: even with {@code auth.mechanisms=XOAUTH2}, Angus falls back to a plain {@code LOGIN user token} when the
 * server does not advertise {@code AUTH=XOAUTH2} (and {@code LOGINDISABLED} is absent). That would hand the bearer
 * token to the wrong server as a password. {@link #preLogin} runs after STARTTLS and before any authentication,
 * on the store's connection and on every folder connection alike.
 */
final class Xoauth2OnlyStore extends IMAPStore {

    Xoauth2OnlyStore(Session session, ImapSecurity security) {
        super(session, null, protocolOf(security), security == ImapSecurity.TLS);
    }

    static String protocolOf(ImapSecurity security) {
        return security == ImapSecurity.TLS ? "imaps" : "imap";
    }

    @Override
    protected void preLogin(IMAPProtocol p) throws ProtocolException {
        if (!p.hasCapability("AUTH=XOAUTH2")) {
            throw new Xoauth2NotOfferedException();
        }
    }

    /** Marks the refusal above, so that it is reported as a connect problem and not as a wrong token. */
    static final class Xoauth2NotOfferedException extends ProtocolException {
        private static final long serialVersionUID = 1L;

        Xoauth2NotOfferedException() {
            super("server does not advertise AUTH=XOAUTH2; no credentials were sent");
        }
    }
}
