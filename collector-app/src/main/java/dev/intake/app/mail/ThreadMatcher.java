package dev.intake.app.mail;

import dev.intake.config.TicketsConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the ticket a mail answers, if any. In order: a ticket tag in the subject ({@code [#123]}, from
 * {@link TicketsConfig}) that names an existing ticket; the In-Reply-To id; the References ids, newest (last)
 * first. A tag whose ticket does not exist is ignored, so a stale or invented tag never attaches a mail to
 * nothing; the headers are still asked.
 */
public final class ThreadMatcher {

    /**
     * Reply and forward prefixes in the languages mail clients write them: Re, Fwd, Fw, AW/WG (German),
     * SV/VS (Nordic), Antw, Ref, RIF, TR (French), Odp, Res/Enc (Portuguese), 回复/答复/转发, with counters
     * such as {@code Re[2]:}, and full-width colons.
     */
    private static final Pattern PREFIXES = Pattern.compile(
            "^(?:\\s*(?:re|fwd?|aw|wg|sv|vs|antw|antwort|ref|rif|tr|odp|res|enc|doorst|回复|回覆|答复|转发|轉寄)"
                    + "\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*[:：])+\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final TicketsConfig tickets;
    private final Pattern tag;

    public ThreadMatcher(TicketsConfig tickets) {
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.tag = tickets.pattern();
    }

    /** The id of the ticket {@code mail} follows up, or empty when it starts a new ticket. */
    public Optional<Long> match(ParsedMail mail, TicketLookup lookup) {
        Matcher m = tag.matcher(mail.subject());
        while (m.find()) {
            Optional<Long> ticket = parseNumber(m.group(1)).flatMap(lookup::ticketByNumber);
            if (ticket.isPresent()) {
                return ticket;
            }
        }
        if (mail.inReplyTo().isPresent()) {
            Optional<Long> ticket = lookup.ticketByMessageId(mail.inReplyTo().get());
            if (ticket.isPresent()) {
                return ticket;
            }
        }
        List<String> references = mail.references();
        for (int i = references.size() - 1; i >= 0; i--) {
            Optional<Long> ticket = lookup.ticketByMessageId(references.get(i));
            if (ticket.isPresent()) {
                return ticket;
            }
        }
        return Optional.empty();
    }

    /** The ticket numbers the subject's tags name, in order, whether or not the tickets exist. */
    public List<Long> tagNumbers(String subject) {
        return tag.matcher(subject).results()
                .map(r -> parseNumber(r.group(1)))
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * A subject for display or a new ticket: tags removed, leading reply and forward prefixes removed
     * ({@code "RE: AW: [#12] Printer"} becomes {@code "Printer"}). Never empty when the subject had words.
     */
    public String subjectWithoutTag(String subject) {
        String withoutTags = tag.matcher(subject).replaceAll(" ");
        String stripped = stripReplyPrefixes(withoutTags.replaceAll("\\s{2,}", " ").trim());
        return stripped.isEmpty() ? subject.trim() : stripped;
    }

    /** A subject with the ticket's tag, for mail Intake sends about ticket {@code number}. */
    public String tagSubject(String subject, long number) {
        String tagText = tickets.format(number);
        return subject.contains(tagText) ? subject : (subject.isBlank() ? tagText : subject.trim() + " " + tagText);
    }

    /** Removes leading reply and forward prefixes, however many and in whatever language. */
    public static String stripReplyPrefixes(String subject) {
        return PREFIXES.matcher(subject).replaceFirst("").trim();
    }

    private static Optional<Long> parseNumber(String digits) {
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
