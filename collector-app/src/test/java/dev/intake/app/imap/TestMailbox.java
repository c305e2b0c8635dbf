package dev.intake.app.imap;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMailProxy;
import dev.intake.config.ImapSecurity;
import dev.intake.config.Secret;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/** One GreenMail user whose bearer token is {@link #TOKEN}, and direct access to its folders on the server side. */
final class TestMailbox {

    static final String USER = "support@example.com";
    static final Secret TOKEN = Secret.of("ya29.test-access-token-0123456789");

    private final GreenMailProxy greenMail;
    private final GreenMailUser user;

    TestMailbox(GreenMailProxy greenMail) {
        this.greenMail = greenMail;
        // GreenMail's XOAUTH2 compares the bearer token with the user's password.
        this.user = greenMail.setUser(USER, USER, TOKEN.reveal());
    }

    ImapTarget target() {
        return new ImapTarget("localhost", greenMail.getImaps().getPort(), ImapSecurity.TLS, USER,
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    /** Appends the exact bytes to a folder (server name, e.g. INBOX) and returns the UID the server gave them. */
    long append(String folder, String raw, Instant arrived, boolean seen) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            Flags flags = seen ? new Flags(Flags.Flag.SEEN) : new Flags();
            return folder(folder).appendMessage(message, flags, Date.from(arrived));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    long append(String raw) {
        return append("INBOX", raw, Instant.now(), false);
    }

    /** The folder on the server, by its server name (GreenMail separates levels with a dot). */
    MailFolder folder(String serverName) {
        try {
            return "INBOX".equals(serverName)
                    ? greenMail.getManagers().getImapHostManager().getInbox(user)
                    : greenMail.getManagers().getImapHostManager().getFolder(user, serverName, true);
        } catch (FolderException e) {
            throw new IllegalStateException("no folder " + serverName + " on the server", e);
        }
    }

    boolean exists(String serverName) {
        return greenMail.getManagers().getImapHostManager().getFolder(user, serverName) != null;
    }

    List<Long> uids(String serverName) {
        return folder(serverName).getNonDeletedMessages().stream().map(StoredMessage::getUid).toList();
    }

    List<String> messageIds(String serverName) {
        return folder(serverName).getNonDeletedMessages().stream().map(m -> {
            try {
                return m.getMimeMessage().getMessageID();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    boolean isSeen(String serverName, long uid) {
        return folder(serverName).getMessage(uid).isSet(Flags.Flag.SEEN);
    }

    static String message(String messageId, String subject, String body) {
        return "Message-ID: " + messageId + "\r\n"
                + "From: Alice Example <alice@example.org>\r\n"
                + "To: support@example.com\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Mon, 2 Jun 2025 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + body + "\r\n";
    }
}
