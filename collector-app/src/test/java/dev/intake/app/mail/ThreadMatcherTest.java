package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.TicketsConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThreadMatcherTest {

    private final MailParser parser = new MailParser();
    private final ThreadMatcher matcher = new ThreadMatcher(new TicketsConfig(TicketsConfig.DEFAULT_TAG));
    private final Tickets tickets = new Tickets();

    ThreadMatcherTest() {
        tickets.add(7L, 1007L, "<ticket7-original@example.com>");
        tickets.add(8L, 1008L, "<ticket8-original@example.com>");
        tickets.add(9L, 1009L, "<ticket9-original@example.com>");
    }

    @Test
    void subjectTagNamesTheTicket() {
        ParsedMail reply = parse("From: a@example.com\nSubject: RE: [#1008] Printer jammed\n\nstill jammed\n");

        assertThat(matcher.match(reply, tickets)).contains(8L);
    }

    @Test
    void inReplyToNamesAStoredMessage() {
        ParsedMail reply = parse("""
                From: a@example.com
                Subject: Re: Printer jammed
                In-Reply-To: <ticket7-original@example.com>

                x
                """);

        assertThat(matcher.match(reply, tickets)).contains(7L);
    }

    @Test
    void referencesAreTriedNewestFirst() {
        ParsedMail reply = parse("""
                From: a@example.com
                Subject: Re: two threads merged
                In-Reply-To: <not-stored@example.com>
                References: <ticket9-original@example.com> <unknown@example.com>
                 <ticket7-original@example.com> <also-unknown@example.com>

                x
                """);

        assertThat(matcher.match(reply, tickets)).contains(7L);
        assertThat(tickets.askedMessageIds).containsExactly("<not-stored@example.com>", "<also-unknown@example.com>",
                "<ticket7-original@example.com>");
    }

    @Test
    void tagOfATicketThatDoesNotExistIsNotAFollowup() {
        ParsedMail mail = parse("From: a@example.com\nSubject: [#4242] invented tag\n\nx\n");

        assertThat(matcher.match(mail, tickets)).isEmpty();
        assertThat(tickets.askedNumbers).containsExactly(4242L);
    }

    @Test
    void unknownTagStillLetsTheHeadersDecide() {
        ParsedMail mail = parse("""
                From: a@example.com
                Subject: [#4242] stale tag
                In-Reply-To: <ticket9-original@example.com>

                x
                """);

        assertThat(matcher.match(mail, tickets)).contains(9L);
    }

    @Test
    void secondTagIsTriedWhenTheFirstIsUnknown() {
        ParsedMail mail = parse("From: a@example.com\nSubject: Fwd: [#99999] about [#1007]\n\nx\n");

        assertThat(matcher.match(mail, tickets)).contains(7L);
    }

    @Test
    void newMailIsNoFollowup() {
        ParsedMail mail = parse("From: a@example.com\nSubject: New problem #1007 (not a tag)\n\nx\n");

        assertThat(matcher.match(mail, tickets)).isEmpty();
    }

    @Test
    void customTagTemplate() {
        ThreadMatcher custom = new ThreadMatcher(new TicketsConfig("Ticket#{number}:"));
        ParsedMail mail = parse("From: a@example.com\nSubject: AW: Ticket#1008: Drucker\n\nx\n");

        assertThat(custom.match(mail, tickets)).contains(8L);
        assertThat(custom.tagNumbers("Ticket#1: and Ticket#22:")).containsExactly(1L, 22L);
        assertThat(custom.subjectWithoutTag("AW: Ticket#1008: Drucker")).isEqualTo("Drucker");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            RE: AW: [#12] Printer                | Printer
            [#12] Re: Printer                    | Printer
            Re[2]: Fwd: Printer                  | Printer
            SV: VS: Antw: Printer                | Printer
            WG: TR: Odp: RIF: Printer            | Printer
            回复：打印机                          | 打印机
            Printer Re: inside stays             | Printer Re: inside stays
            Recipe for success                   | Recipe for success
            [#12]                                | [#12]
            """)
    void subjectWithoutTagAndPrefixes(String subject, String expected) {
        assertThat(matcher.subjectWithoutTag(subject)).isEqualTo(expected);
    }

    @Test
    void tagSubjectAddsTheTagOnce() {
        assertThat(matcher.tagSubject("Printer", 12)).isEqualTo("Printer [#12]");
        assertThat(matcher.tagSubject("Re: [#12] Printer", 12)).isEqualTo("Re: [#12] Printer");
        assertThat(matcher.tagSubject("", 12)).isEqualTo("[#12]");
    }

    private ParsedMail parse(String mail) {
        return parser.parse(RawMail.of(mail), new ParseLimits(1024));
    }

    /** An in-memory ticket store, recording what it was asked. */
    private static final class Tickets implements TicketLookup {
        private final Map<Long, Long> idByNumber = new HashMap<>();
        private final Map<String, Long> idByMessageId = new HashMap<>();
        final List<Long> askedNumbers = new ArrayList<>();
        final List<String> askedMessageIds = new ArrayList<>();

        void add(long id, long number, String messageId) {
            idByNumber.put(number, id);
            idByMessageId.put(messageId, id);
        }

        @Override
        public Optional<Long> ticketByNumber(long number) {
            askedNumbers.add(number);
            return Optional.ofNullable(idByNumber.get(number));
        }

        @Override
        public Optional<Long> ticketByMessageId(String messageId) {
            askedMessageIds.add(messageId);
            return Optional.ofNullable(idByMessageId.get(messageId));
        }
    }
}
