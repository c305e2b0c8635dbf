package dev.intake.app.imap;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one FETCH tells about a message without downloading it: enough to skip, refuse or thread it early.
 *
 * @param uid           the message's UID in its folder (valid with the folder's UIDVALIDITY)
 * @param size          RFC822.SIZE as the server reports it; some servers (Exchange) report it only roughly
 * @param seen          whether the message carries \Seen
 * @param messageId     the Message-ID header, angle brackets included
 * @param receivedAt    the server's INTERNALDATE: when the message arrived in the mailbox
 * @param sentAt        the Date header
 * @param subject       the decoded Subject
 * @param from          the address of the first From mailbox
 * @param inReplyTo     message ids in In-Reply-To, angle brackets included
 * @param references    message ids in References, oldest first, angle brackets included
 * @param autoSubmitted the Auto-Submitted header (RFC 3834), e.g. {@code auto-replied}
 * @param precedence    the Precedence header, e.g. {@code bulk} or {@code list}
 */
public record MessageSummary(
        long uid,
        long size,
        boolean seen,
        Optional<String> messageId,
        Optional<Instant> receivedAt,
        Optional<Instant> sentAt,
        Optional<String> subject,
        Optional<String> from,
        List<String> inReplyTo,
        List<String> references,
        Optional<String> autoSubmitted,
        Optional<String> precedence) {

    public MessageSummary {
        inReplyTo = List.copyOf(inReplyTo);
        references = List.copyOf(references);
    }
}
