package dev.intake.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.mail.MailParser;
import dev.intake.app.mail.ParseLimits;
import dev.intake.app.mail.ParsedMail;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CorpusTest {

    static final String TO = "support@bench.example";

    @Test
    void theSameSpecGivesTheSameMessagesByteForByte() {
        CorpusSpec spec = CorpusSpec.standard().withCount(300);
        Corpus a = Corpus.plan(spec, TO, "t");
        Corpus b = Corpus.plan(spec, TO, "t");

        assertThat(a.messages()).isEqualTo(b.messages());
        for (MessagePlan p : a.messages().subList(0, 40)) {
            assertThat(a.render(p)).isEqualTo(b.render(p));
        }
        assertThat(Corpus.plan(spec.withSeed(7), TO, "t").messages()).isNotEqualTo(a.messages());
    }

    @Test
    void theMixIsExactAndTheExpectedOutcomesFollowIt() {
        Corpus corpus = Corpus.plan(CorpusSpec.standard(), TO, "t");

        Map<MessagePlan.Kind, Long> kinds = corpus.messages().stream()
                .collect(Collectors.groupingBy(MessagePlan::kind, Collectors.counting()));
        assertThat(kinds).containsEntry(MessagePlan.Kind.SMALL, 4000L).containsEntry(MessagePlan.Kind.ATTACHMENT, 750L)
                .containsEntry(MessagePlan.Kind.REPLY, 250L);
        assertThat(corpus.expected()).isEqualTo(new Corpus.Expected(4750, 250, 0));
    }

    @Test
    void repliesAnswerAnEarlierMessageThatIsNotItselfAReply() {
        List<MessagePlan> plans = Corpus.plan(CorpusSpec.standard().withCount(2000), TO, "t").messages();

        assertThat(plans.get(0).kind()).isNotEqualTo(MessagePlan.Kind.REPLY);
        for (MessagePlan p : plans) {
            if (p.kind() == MessagePlan.Kind.REPLY) {
                assertThat(p.repliesTo()).isBetween(0, p.index() - 1);
                assertThat(plans.get(p.repliesTo()).kind()).isNotEqualTo(MessagePlan.Kind.REPLY);
            } else {
                assertThat(p.repliesTo()).isEqualTo(-1);
            }
        }
    }

    @Test
    void sizesStayInTheirRanges() {
        Corpus corpus = Corpus.plan(CorpusSpec.standard().withCount(600), TO, "t");

        for (MessagePlan p : corpus.messages()) {
            if (p.kind() == MessagePlan.Kind.ATTACHMENT) {
                assertThat(p.attachmentSize()).isBetween(100L * 1024, 2L * 1024 * 1024);
            } else {
                // The headers (about 400 bytes) come on top of the body's 2-20 KB.
                assertThat(corpus.render(p).length).isBetween(2 * 1024, 21 * 1024);
            }
        }
    }

    @Test
    void intakeReadsTheMessagesAsPlanned() throws Exception {
        Corpus corpus = Corpus.plan(CorpusSpec.standard().withCount(200), TO, "t");
        MessagePlan withAttachment = corpus.messages().stream()
                .filter(p -> p.kind() == MessagePlan.Kind.ATTACHMENT).findFirst().orElseThrow();
        MessagePlan reply = corpus.messages().stream()
                .filter(p -> p.kind() == MessagePlan.Kind.REPLY).findFirst().orElseThrow();
        MessagePlan html = corpus.messages().stream()
                .filter(p -> p.kind() == MessagePlan.Kind.SMALL && p.html()).findFirst().orElseThrow();
        MailParser parser = new MailParser();
        ParseLimits limits = new ParseLimits(25L * 1024 * 1024);

        ParsedMail attached = parser.parse(corpus.render(withAttachment), limits);
        ParsedMail answered = parser.parse(corpus.render(reply), limits);
        ParsedMail rich = parser.parse(corpus.render(html), limits);

        assertThat(attached.malformed()).isFalse();
        assertThat(attached.attachments()).singleElement()
                .satisfies(a -> assertThat(a.size()).isEqualTo(withAttachment.attachmentSize()));
        assertThat(answered.inReplyTo()).contains(corpus.messageId(reply.repliesTo()));
        assertThat(answered.subject()).startsWith("Re: Request " + reply.repliesTo() + ":");
        assertThat(rich.htmlBody()).isPresent();
        assertThat(rich.textBody()).startsWith("Hello support,");
    }

    @Test
    void aLargeMessageHasTheSizeAskedFor() {
        Corpus corpus = Corpus.plan(CorpusSpec.standard().withCount(1), TO, "t");
        long size = 5L * 1024 * 1024;

        byte[] raw = corpus.renderLarge(size);

        assertThat((double) raw.length).isBetween(size * 0.99, size * 1.01);
        assertThat(Corpus.largeAttachmentSize(size)).isBetween(size * 70 / 100, size * 75 / 100);
    }

    @Test
    void aMixThatDoesNotAddUpIsRefusedWithTheFix() {
        assertThatThrownBy(() -> CorpusSpec.standard().withMix("80,15,10"))
                .hasMessageContaining("adding up to 100").hasMessageContaining("80,15,5");
        assertThatThrownBy(() -> CorpusSpec.standard().withMix("0,0,100")).hasMessageContaining("earlier messages");
    }
}
