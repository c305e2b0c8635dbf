package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import dev.intake.app.spool.Spool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Working in a folder of a real IMAP server (GreenMail over IMAPS, XOAUTH2). */
class ImapFolderTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(TestImapsSetup.setup());

    private static final ImapConnector connector = new ImapConnector(TlsTrust.from(TestImapsSetup.clientTls()));
    private TestMailbox mailbox;
    private ImapSession session;

    @BeforeEach
    void user() {
        mailbox = new TestMailbox(greenMail);
    }

    @AfterEach
    void closeSession() {
        if (session != null) {
            session.close();
        }
    }

    private ImapFolder openInbox() throws ImapException {
        session = connector.open(mailbox.target(), TestMailbox.TOKEN);
        return session.openFolder("INBOX");
    }

    @Test
    void uidsAfterListsNewerMessagesAscendingUpToTheLimit() throws Exception {
        long first = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long second = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        long third = mailbox.append(TestMailbox.message("<3@example.org>", "three", "3"));
        ImapFolder inbox = openInbox();

        assertThat(inbox.uidsAfter(0, 10)).containsExactly(first, second, third);
        assertThat(inbox.uidsAfter(first, 10)).containsExactly(second, third);
        assertThat(inbox.uidsAfter(0, 2)).containsExactly(first, second);
        assertThat(inbox.uidsAfter(first, 1)).containsExactly(second);
    }

    @Test
    void uidsAfterTheLastMessageIsEmptyNotTheLastMessageAgain() throws Exception {
        mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long last = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        ImapFolder inbox = openInbox();

        // "UID FETCH 3:*" answers with UID 2: the trap of Angus's getMessagesByUID(last + 1, LASTUID).
        assertThat(inbox.uidsAfter(last, 10)).isEmpty();
        assertThat(inbox.uidsAfter(last + 5, 10)).isEmpty();
    }

    @Test
    void uidValidityAndUidNextAreTheServers() throws Exception {
        long last = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();

        assertThat(inbox.uidValidity()).isEqualTo(mailbox.folder("INBOX").getUidValidity()).isPositive();
        assertThat(inbox.uidNext()).isEqualTo(last + 1);
    }

    @Test
    void summariesDescribeABatchInOneFetchWithoutMarkingItSeen() throws Exception {
        String plainRaw = TestMailbox.message("<plain@example.org>", "Printer on fire", "Please help.");
        String replyRaw = "Message-ID: <reply@example.org>\r\n"
                + "In-Reply-To: <ticket-7@intake.example>\r\n"
                + "References: <root@intake.example>\r\n <ticket-7@intake.example>\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "Precedence: bulk\r\n"
                + "From: Bob <bob@example.org>\r\n"
                + "Subject: =?UTF-8?Q?Re:_Gr=C3=BC=C3=9Fe?=\r\n"
                + "Date: Tue, 3 Jun 2025 08:30:00 +0200\r\n"
                + "\r\n"
                + "Out of office.\r\n";
        String noIdRaw = "From: carol@example.org\r\nSubject: no id\r\n\r\nhi\r\n";
        Instant arrived = Instant.parse("2025-06-03T07:00:00Z");
        long plain = mailbox.append("INBOX", plainRaw, arrived, false);
        long reply = mailbox.append("INBOX", replyRaw, arrived, true);
        long noId = mailbox.append("INBOX", noIdRaw, arrived, false);
        List<MessageSummary> summaries;
        ImapFolder inbox;
        try (GreenMailTrace trace = GreenMailTrace.install()) {
            inbox = openInbox();
            inbox.uidsAfter(0, 10);
            trace.clear();

            summaries = inbox.summaries(List.of(plain, reply, noId));

            assertThat(trace.commandsContaining("FETCH")).isEqualTo(1);
        }

        assertThat(summaries).extracting(MessageSummary::uid).containsExactly(plain, reply, noId);
        MessageSummary p = summaries.get(0);
        assertThat(p.size()).isEqualTo(plainRaw.getBytes(StandardCharsets.UTF_8).length);
        assertThat(p.seen()).isFalse();
        assertThat(p.messageId()).contains("<plain@example.org>");
        assertThat(p.subject()).contains("Printer on fire");
        assertThat(p.from()).contains("alice@example.org");
        assertThat(p.receivedAt()).contains(arrived);
        assertThat(p.sentAt()).contains(Instant.parse("2025-06-02T10:00:00Z"));
        assertThat(p.inReplyTo()).isEmpty();
        assertThat(p.references()).isEmpty();
        assertThat(p.autoSubmitted()).isEmpty();
        assertThat(p.precedence()).isEmpty();

        MessageSummary r = summaries.get(1);
        assertThat(r.size()).isEqualTo(replyRaw.getBytes(StandardCharsets.UTF_8).length);
        assertThat(r.seen()).isTrue();
        assertThat(r.messageId()).contains("<reply@example.org>");
        assertThat(r.subject()).contains("Re: Grüße");
        assertThat(r.inReplyTo()).containsExactly("<ticket-7@intake.example>");
        assertThat(r.references()).containsExactly("<root@intake.example>", "<ticket-7@intake.example>");
        assertThat(r.autoSubmitted()).contains("auto-replied");
        assertThat(r.precedence()).contains("bulk");

        assertThat(summaries.get(2).messageId()).isEmpty();

        // Reading summaries and whole messages leaves them unread on the server.
        inbox.withRaw(plain, in -> in.readAllBytes());
        assertThat(mailbox.isSeen("INBOX", plain)).isFalse();
        assertThat(mailbox.isSeen("INBOX", noId)).isFalse();
    }

    @Test
    void messagesArrivingAfterTheFolderWasOpenedAreFoundByEveryOperation() throws Exception {
        long before = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();
        assertThat(inbox.uidsAfter(0, 10)).containsExactly(before);

        String raw = TestMailbox.message("<late@example.org>", "late", "arrived during the session");
        long late = mailbox.append(raw);

        assertThat(inbox.uidsAfter(before, 10)).containsExactly(late);
        assertThat(inbox.summaries(List.of(late))).extracting(MessageSummary::messageId)
                .containsExactly(Optional.of("<late@example.org>"));
        assertThat(raw(inbox, late)).isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
        inbox.flagSeen(List.of(late));
        assertThat(mailbox.isSeen("INBOX", late)).isTrue();
    }

    @Test
    void summariesLeaveOutUidsThatDoNotExist() throws Exception {
        long only = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();

        assertThat(inbox.summaries(List.of(only + 100, only))).extracting(MessageSummary::uid).containsExactly(only);
        assertThat(inbox.summaries(List.of())).isEmpty();
    }

    @Test
    void withRawStreamsTheExactBytesAppended() throws Exception {
        String small = TestMailbox.message("<small@example.org>", "small", "tiny body");
        // Several times the fetch chunk, so the body arrives in many partial FETCHes.
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 5 * ImapProperties.FETCH_CHUNK_BYTES; i++) {
            body.append("line ").append(i).append(" of a long message, with umlauts: äöü\r\n");
        }
        String large = TestMailbox.message("<large@example.org>", "large", body.toString());
        long smallUid = mailbox.append(small);
        long largeUid = mailbox.append(large);
        ImapFolder inbox = openInbox();

        assertThat(raw(inbox, smallUid)).isEqualTo(small.getBytes(StandardCharsets.UTF_8));
        assertThat(raw(inbox, largeUid)).isEqualTo(large.getBytes(StandardCharsets.UTF_8));
        assertThat(mailbox.isSeen("INBOX", largeUid)).isFalse();
    }

    @Test
    void rawMessagesReadsSeveralWholeMessagesInOneGoWithoutMarkingThemSeen() throws Exception {
        String one = TestMailbox.message("<1@example.org>", "one", "first body");
        String two = TestMailbox.message("<2@example.org>", "two", "second body, äöü");
        String three = TestMailbox.message("<3@example.org>", "three", "third body");
        long first = mailbox.append(one);
        long second = mailbox.append(two);
        long third = mailbox.append(three);
        ImapFolder inbox = openInbox();

        var raws = inbox.rawMessages(List.of(third, first, first + 100, second));

        assertThat(raws).containsOnlyKeys(first, second, third);
        assertThat(raws.get(first).readAllBytes()).isEqualTo(one.getBytes(StandardCharsets.UTF_8));
        assertThat(raws.get(second).readAllBytes()).isEqualTo(two.getBytes(StandardCharsets.UTF_8));
        assertThat(raws.get(third).readAllBytes()).isEqualTo(three.getBytes(StandardCharsets.UTF_8));
        assertThat(raws.get(third).sha256Hex()).as("the fingerprint of the message, not of the server's answer")
                .isEqualTo(Spool.of(three.getBytes(StandardCharsets.UTF_8)).sha256Hex());
        assertThat(mailbox.isSeen("INBOX", second)).isFalse();
        assertThat(inbox.rawMessages(List.of())).isEmpty();
        assertThat(inbox.rawMessages(List.of(third + 1))).isEmpty();
    }

    @Test
    void withRawOfAMissingUidReturnsFalseWithoutCallingTheConsumer() throws Exception {
        long only = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();

        assertThat(inbox.withRaw(only + 1, in -> {
            throw new AssertionError("must not be called");
        })).isFalse();
    }

    @Test
    void aFailureOfTheConsumerIsTheConsumersAndTheSessionGoesOn() throws Exception {
        long uid = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();

        assertThatThrownBy(() -> inbox.withRaw(uid, in -> {
            in.read();
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(raw(inbox, uid)).isNotEmpty();
    }

    @Test
    void moveToPutsExactlyTheGivenMessagesIntoACreatedFolder() throws Exception {
        long first = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long second = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        long third = mailbox.append(TestMailbox.message("<3@example.org>", "three", "3"));
        ImapFolder inbox = openInbox();

        session.ensureFolder("Intake/Accepted", true);
        inbox.moveTo(List.of(first, third), "Intake/Accepted");

        // GreenMail separates levels with a dot: the configured "/" became the server's separator.
        assertThat(mailbox.exists("Intake.Accepted")).isTrue();
        assertThat(mailbox.uids("INBOX")).containsExactly(second);
        assertThat(mailbox.messageIds("Intake.Accepted")).containsExactly("<1@example.org>", "<3@example.org>");
        assertThat(inbox.uidsAfter(0, 10)).containsExactly(second);
    }

    @Test
    void moveWithoutTheMoveExtensionCopiesThenExpungesOnlyTheGivenMessages() throws Exception {
        long first = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long second = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        ImapFolder inbox = openInbox();
        session.ensureFolder("Intake/Refused", true);

        inbox.transfer(List.of(first), "Intake/Refused", false);

        assertThat(mailbox.uids("INBOX")).containsExactly(second);
        assertThat(mailbox.messageIds("Intake.Refused")).containsExactly("<1@example.org>");
    }

    @Test
    void moveToAMissingFolderMovesNothingAndSaysWhatToDo() throws Exception {
        long uid = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();

        assertThatThrownBy(() -> inbox.moveTo(List.of(uid), "Intake/Nowhere"))
                .isInstanceOf(ImapFolderException.class)
                .hasMessageContaining("\"Intake/Nowhere\" does not exist")
                .hasMessageContaining("allow Intake to create folders");
        assertThat(mailbox.uids("INBOX")).containsExactly(uid);
        assertThat(inbox.uidsAfter(0, 10)).containsExactly(uid);
    }

    @Test
    void ensureFolderWithoutPermissionToCreateFailsClearly() throws Exception {
        openInbox();

        assertThatThrownBy(() -> session.ensureFolder("Intake/Accepted", false))
                .isInstanceOf(ImapFolderException.class)
                .hasMessageContaining("\"Intake/Accepted\" does not exist")
                .hasMessageContaining("Create the folder in the mailbox");
        assertThat(mailbox.exists("Intake.Accepted")).isFalse();
        assertThat(mailbox.exists("Intake")).isFalse();
    }

    @Test
    void ensureFolderLeavesAnExistingFolderAndItsMessagesAlone() throws Exception {
        ImapFolder inbox = openInbox();
        long uid = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        session.ensureFolder("Intake/Accepted", true);
        inbox.moveTo(List.of(uid), "Intake/Accepted");

        session.ensureFolder("Intake/Accepted", true);
        session.ensureFolder("Intake/Accepted", false);

        assertThat(mailbox.messageIds("Intake.Accepted")).containsExactly("<1@example.org>");
    }

    @Test
    void openingAMissingFolderSaysSo() throws Exception {
        session = connector.open(mailbox.target(), TestMailbox.TOKEN);

        assertThatThrownBy(() -> session.openFolder("Archive/2019"))
                .isInstanceOf(ImapFolderException.class)
                .hasMessageContaining("\"Archive/2019\" does not exist")
                .hasMessageContaining("folder setting");
    }

    @Test
    void flagSeenMarksExactlyTheGivenMessages() throws Exception {
        long first = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long second = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        ImapFolder inbox = openInbox();

        inbox.flagSeen(List.of(second));

        assertThat(mailbox.isSeen("INBOX", first)).isFalse();
        assertThat(mailbox.isSeen("INBOX", second)).isTrue();
        assertThat(inbox.searchUnread(Optional.empty())).containsExactly(first);
    }

    @Test
    void deleteRemovesExactlyTheGivenMessages() throws Exception {
        long first = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        long second = mailbox.append(TestMailbox.message("<2@example.org>", "two", "2"));
        long third = mailbox.append(TestMailbox.message("<3@example.org>", "three", "3"));
        ImapFolder inbox = openInbox();

        inbox.delete(List.of(first, third, third + 10));

        assertThat(mailbox.uids("INBOX")).containsExactly(second);
        assertThat(inbox.uidsAfter(0, 10)).containsExactly(second);
    }

    @Test
    void searchUnreadFindsUnseenMessagesOptionallyOnlyRecentOnes() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long old = mailbox.append("INBOX", TestMailbox.message("<old@example.org>", "old", "1"),
                now.minus(Duration.ofDays(10)), false);
        long recentRead = mailbox.append("INBOX", TestMailbox.message("<read@example.org>", "read", "2"),
                now.minus(Duration.ofDays(2)), true);
        long recent = mailbox.append("INBOX", TestMailbox.message("<recent@example.org>", "recent", "3"),
                now.minus(Duration.ofDays(2)), false);
        long justBefore = mailbox.append("INBOX", TestMailbox.message("<edge@example.org>", "edge", "4"),
                now.minus(Duration.ofDays(7)).minusSeconds(60), false);
        long fresh = mailbox.append("INBOX", TestMailbox.message("<fresh@example.org>", "fresh", "5"), now, false);
        ImapFolder inbox = openInbox();

        assertThat(inbox.searchUnread(Optional.empty())).containsExactly(old, recent, justBefore, fresh);
        assertThat(inbox.searchUnread(Optional.of(now.minus(Duration.ofDays(7))))).containsExactly(recent, fresh);
        assertThat(recentRead).isPositive();
    }

    @Test
    void aServerThatGoesAwayMidSessionIsALostSession() throws Exception {
        long uid = mailbox.append(TestMailbox.message("<1@example.org>", "one", "1"));
        ImapFolder inbox = openInbox();
        assertThat(inbox.uidsAfter(0, 10)).containsExactly(uid);

        greenMail.stop();

        assertThatThrownBy(() -> inbox.uidsAfter(0, 10))
                .isInstanceOf(ImapSessionLostException.class)
                .hasMessageContaining("was lost")
                .hasMessageContaining("localhost:")
                .satisfies(e -> assertThat(((ImapSessionLostException) e).accessTokenExpired()).isFalse())
                .satisfies(e -> ImapConnectorTest.assertNoSecretIn(e, TestMailbox.TOKEN));
    }

    private static byte[] raw(ImapFolder folder, long uid) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(folder.withRaw(uid, in -> in.transferTo(out))).isTrue();
        return out.toByteArray();
    }
}
