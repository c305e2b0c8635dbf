package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.MailboxConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Classification of real-looking mail, parsed by {@link MailParser} first, as the collector does it. */
class MailClassifierTest {

    private final MailParser parser = new MailParser();
    private final MailClassifier classifier = new MailClassifier();
    private final MailboxConfig support = Mailboxes.support();

    @Test
    void aCustomerRequestIsAccepted() {
        assertThat(classify("From: Alice <alice@example.com>\nSubject: Help\n\nPlease help.\n", support))
                .isEqualTo(Verdict.accept());
    }

    @Test
    void autoSubmittedNoIsAPersonAndAccepted() {
        Verdict verdict = classify("""
                From: alice@example.com
                Auto-Submitted: no
                Subject: written by hand

                x
                """, support);

        assertThat(verdict.accepted()).isTrue();
        assertThat(verdict.reason()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Auto-Submitted: auto-replied                  | Auto-Submitted: auto-replied
            Auto-Submitted: auto-generated                | Auto-Submitted: auto-generated
            Auto-Submitted: auto-notified; owner-email=x  | Auto-Submitted: auto-notified; owner-email=x
            X-Autoreply: yes                              | X-Autoreply: yes
            X-Autorespond: vacation                       | X-Autorespond: vacation
            Precedence: auto_reply                        | Precedence: auto_reply
            """)
    void autoReplies(String header, String detail) {
        Verdict verdict = classify("From: bob@example.org\n" + header + "\nSubject: away\n\nx\n", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.AUTO_REPLY, detail));
    }

    @Test
    void exchangeOutOfOfficeIsAnAutoReplyEvenFromTheNullSender() {
        Verdict verdict = classifyResource("exchange-out-of-office.eml", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.AUTO_REPLY, "Auto-Submitted: auto-generated"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bulk | Precedence: bulk
            junk | Precedence: junk
            List | Precedence: list
            """)
    void bulkPrecedence(String value, String detail) {
        Verdict verdict = classify("From: promo@example.com\nPrecedence: " + value + "\nSubject: x\n\nx\n", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.BULK, detail));
    }

    @Test
    void newsletterWithOnlyListUnsubscribeIsBulk() {
        Verdict verdict = classifyResource("newsletter.eml", support);

        assertThat(verdict).isEqualTo(
                Verdict.refuse(RefusalReason.BULK, "List-Unsubscribe without a list identity (newsletter)"));
    }

    @Test
    void discussionListPostIsMailingListNotBulk() {
        Verdict verdict = classifyResource("mailman-post.eml", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.MAILING_LIST,
                "List-Id: Users of Example <users.lists.example.org>"));
    }

    @Test
    void listPostAloneIsMailingList() {
        Verdict verdict = classify("From: a@example.net\nList-Post: <mailto:dev@lists.example.org>\n\nx\n", support);

        assertThat(verdict).isEqualTo(
                Verdict.refuse(RefusalReason.MAILING_LIST, "List-Post: <mailto:dev@lists.example.org>"));
    }

    @Test
    void mailThroughTheMailboxsOwnGroupIsAccepted() {
        Verdict verdict = classifyResource("google-group-support.eml", support);

        assertThat(verdict).isEqualTo(Verdict.accept());
    }

    @Test
    void dsnBounceIsABounceEvenThoughItIsAutoSubmitted() {
        Verdict verdict = classifyResource("dsn-bounce.eml", support);

        assertThat(verdict).isEqualTo(
                Verdict.refuse(RefusalReason.BOUNCE, "multipart/report (report-type delivery-status)"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MAILER-DAEMON@mx.example.net               | From MAILER-DAEMON@mx.example.net
            Mail Delivery System <Mailer-Daemon@x.org> | From Mailer-Daemon@x.org
            postmaster@example.org                     | From postmaster@example.org
            MAILER-DAEMON                              | From MAILER-DAEMON
            """)
    void bounceSenders(String from, String detail) {
        Verdict verdict = classify("From: " + from + "\nSubject: failure\n\nx\n", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.BOUNCE, detail));
    }

    @Test
    void failedRecipientsHeaderIsABounce() {
        Verdict verdict = classify("From: mail@example.org\nX-Failed-Recipients: nobody@example.net\n\nx\n", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.BOUNCE, "X-Failed-Recipients: nobody@example.net"));
    }

    @Test
    void nullReturnPathAloneIsABounce() {
        Verdict verdict = classify("Return-Path: <>\nFrom: notices@example.org\nSubject: x\n\nx\n", support);

        assertThat(verdict).isEqualTo(
                Verdict.refuse(RefusalReason.BOUNCE, "Return-Path: <> (the null sender of bounces)"));
    }

    @Test
    void mailFromTheMailboxItselfIsALoop() {
        Verdict verdict = classify("From: Contoso Support <SUPPORT@contoso.com>\nSubject: [#12] Reply\n\nx\n", support);

        assertThat(verdict).isEqualTo(Verdict.refuse(RefusalReason.LOOP, "From SUPPORT@contoso.com is this mailbox"));
    }

    @Test
    void mailFromTheDelegateIsALoop() {
        MailboxConfig shared = Mailboxes.mailbox(Optional.of("alice@contoso.com"), List.of(), false,
                Mailboxes.MAX_MESSAGE_SIZE);

        Verdict verdict = classify("From: alice@contoso.com\nSubject: x\n\nx\n", shared);

        assertThat(verdict).isEqualTo(
                Verdict.refuse(RefusalReason.LOOP, "From alice@contoso.com is this mailbox's delegate"));
    }

    @Test
    void loopComesBeforeAutoReply() {
        Verdict verdict = classify("From: support@contoso.com\nAuto-Submitted: auto-replied\n\nx\n", support);

        assertThat(verdict.reason()).contains(RefusalReason.LOOP);
    }

    @ParameterizedTest(name = "{0} blocks {1}")
    @CsvSource(delimiter = '|', textBlock = """
            *@spam.example.com     | Eve <eve@SPAM.example.com>
            noreply@*              | NoReply@shop.example.com
            newsletter-?@shop.test | newsletter-7@shop.test
            exact@example.org      | exact@example.org
            """)
    void blockedSenders(String glob, String from) {
        MailboxConfig mailbox = Mailboxes.mailbox(Optional.empty(), List.of("someone@else.test", glob), false,
                Mailboxes.MAX_MESSAGE_SIZE);

        Verdict verdict = classify("From: " + from + "\nSubject: x\n\nx\n", mailbox);

        assertThat(verdict.reason()).contains(RefusalReason.BLOCKED_SENDER);
        assertThat(verdict.detail()).endsWith("matches blocked-senders '" + glob + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            *@spam.example.com     | eve@spam.example.com.evil.test
            noreply@*              | not-noreply@shop.example.com
            newsletter-?@shop.test | newsletter-10@shop.test
            """)
    void globsMatchTheWholeAddressOnly(String glob, String from) {
        MailboxConfig mailbox = Mailboxes.mailbox(Optional.empty(), List.of(glob), false, Mailboxes.MAX_MESSAGE_SIZE);

        assertThat(classify("From: " + from + "\nSubject: x\n\nx\n", mailbox)).isEqualTo(Verdict.accept());
    }

    @Test
    void blockedReplyToCountsOnlyWhenTheMailboxUsesReplyTo() {
        String mail = "From: form@webshop.example\nReply-To: eve@spam.example.com\nSubject: x\n\nx\n";
        List<String> blocked = List.of("*@spam.example.com");

        Verdict usingReplyTo = classify(mail, Mailboxes.mailbox(Optional.empty(), blocked, true, Mailboxes.MAX_MESSAGE_SIZE));
        Verdict notUsingReplyTo = classify(mail, Mailboxes.mailbox(Optional.empty(), blocked, false, Mailboxes.MAX_MESSAGE_SIZE));

        assertThat(usingReplyTo).isEqualTo(Verdict.refuse(RefusalReason.BLOCKED_SENDER,
                "Reply-To eve@spam.example.com matches blocked-senders '*@spam.example.com'"));
        assertThat(notUsingReplyTo).isEqualTo(Verdict.accept());
    }

    @Test
    void oversizeIsKnownFromTheSizeAlone() {
        MailboxConfig small = Mailboxes.mailbox(Optional.empty(), List.of(), false, 1024 * 1024);

        assertThat(classifier.classifyBySize(1024 * 1024, small)).isEmpty();
        assertThat(classifier.classifyBySize(3 * 1024 * 1024 + 512 * 1024, small)).contains(Verdict.refuse(
                RefusalReason.OVERSIZE, "the message is 3.5 MB; this mailbox takes at most 1.0 MB (max-message-size)"));
    }

    @Test
    void oversizeComesFirst() {
        MailboxConfig small = Mailboxes.mailbox(Optional.empty(), List.of(), false, 100);
        ParsedMail loopingBounce = parser.parse(RawMail.resource("dsn-bounce.eml"), new ParseLimits(1024 * 1024));

        Verdict verdict = classifier.classify(loopingBounce, 5000, small);

        assertThat(verdict.reason()).contains(RefusalReason.OVERSIZE);
    }

    @Test
    void everyReasonHasALabel() {
        for (RefusalReason reason : RefusalReason.values()) {
            assertThat(reason.label()).isNotBlank();
        }
        assertThat(RefusalReason.AUTO_REPLY.label()).isEqualTo("Automatic reply");
    }

    private Verdict classify(String mail, MailboxConfig mailbox) {
        byte[] raw = RawMail.of(mail);
        return classifier.classify(parser.parse(raw, new ParseLimits(1024 * 1024)), raw.length, mailbox);
    }

    private Verdict classifyResource(String name, MailboxConfig mailbox) {
        byte[] raw = RawMail.resource(name);
        return classifier.classify(parser.parse(raw, new ParseLimits(1024 * 1024)), raw.length, mailbox);
    }
}
