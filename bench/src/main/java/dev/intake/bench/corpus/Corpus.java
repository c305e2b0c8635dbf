package dev.intake.bench.corpus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A deterministic mail corpus: which message is which kind and how large, decided from the spec's seed, and each
 * message rendered to its raw bytes on demand (so a corpus of gigabytes is never held in memory).
 */
public final class Corpus {

    private final CorpusSpec spec;
    private final MailWriter writer;
    private final List<MessagePlan> plans;

    private Corpus(CorpusSpec spec, MailWriter writer, List<MessagePlan> plans) {
        this.spec = spec;
        this.writer = writer;
        this.plans = List.copyOf(plans);
    }

    /**
     * Plans the corpus delivered to {@code mailboxAddress}. The shares are exact (rounded), not drawn: a corpus of
     * 5,000 at 80/15/5 has exactly 4,000 small messages, 750 with attachments and 250 replies, in a seeded order.
     *
     * @param idPrefix makes Message-IDs unique across corpora delivered to the same server
     */
    public static Corpus plan(CorpusSpec spec, String mailboxAddress, String idPrefix) {
        int replies = Math.round(spec.count() * spec.replyShare() / 100f);
        int attachments = Math.round(spec.count() * spec.attachShare() / 100f);
        if (replies >= spec.count()) {
            replies = spec.count() - 1;
        }
        attachments = Math.min(attachments, spec.count() - replies);
        int small = spec.count() - replies - attachments;
        List<MessagePlan.Kind> kinds = new ArrayList<>(spec.count());
        kinds.addAll(Collections.nCopies(small, MessagePlan.Kind.SMALL));
        kinds.addAll(Collections.nCopies(attachments, MessagePlan.Kind.ATTACHMENT));
        kinds.addAll(Collections.nCopies(replies, MessagePlan.Kind.REPLY));
        Collections.shuffle(kinds, new Random(spec.seed()));
        // A reply needs an earlier message: the first one never is a reply.
        if (kinds.get(0) == MessagePlan.Kind.REPLY) {
            int swap = kinds.indexOf(small > 0 ? MessagePlan.Kind.SMALL : MessagePlan.Kind.ATTACHMENT);
            Collections.swap(kinds, 0, swap);
        }

        List<MessagePlan> plans = new ArrayList<>(spec.count());
        List<Integer> originals = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            SplittableRandom r = random(spec.seed(), i);
            MessagePlan.Kind kind = kinds.get(i);
            boolean html = r.nextBoolean();
            int text = (int) uniform(r, spec.small().min(), spec.small().max());
            // The HTML alternative roughly doubles a small message: halve the text so the message keeps its size.
            int textSize = html ? Math.max(256, text / 2) : text;
            long attachment = kind == MessagePlan.Kind.ATTACHMENT
                    ? logUniform(r, spec.attachment().min(), spec.attachment().max()) : 0;
            int repliesTo = kind == MessagePlan.Kind.REPLY ? originals.get(r.nextInt(originals.size())) : -1;
            if (kind == MessagePlan.Kind.ATTACHMENT) {
                textSize = Math.min(textSize, 2048);
            }
            plans.add(new MessagePlan(i, kind, html, textSize, attachment, repliesTo));
            if (kind != MessagePlan.Kind.REPLY) {
                originals.add(i);
            }
        }
        return new Corpus(spec, new MailWriter(spec.seed(), mailboxAddress, idPrefix), plans);
    }

    public CorpusSpec spec() {
        return spec;
    }

    public List<MessagePlan> messages() {
        return plans;
    }

    /** The raw RFC 5322 bytes of one planned message. */
    public byte[] render(MessagePlan plan) {
        return writer.write(plan);
    }

    /**
     * One extra message of about {@code totalBytes} with a single attachment making up nearly all of it (the memory
     * scenario), numbered after the planned ones.
     */
    public byte[] renderLarge(long totalBytes) {
        return writer.writeLarge(plans.size(), totalBytes);
    }

    /** The decoded size of the attachment in {@link #renderLarge(long)}. */
    public static long largeAttachmentSize(long totalBytes) {
        return MailWriter.largeAttachmentSize(totalBytes);
    }

    /** The Message-ID of the message at {@code index}. */
    public String messageId(int index) {
        return writer.messageId(index);
    }

    /** What collecting the whole corpus must give. */
    public Expected expected() {
        int tickets = 0;
        int followups = 0;
        for (MessagePlan p : plans) {
            if (p.kind() == MessagePlan.Kind.REPLY) {
                followups++;
            } else {
                tickets++;
            }
        }
        return new Expected(tickets, followups, 0);
    }

    /** The counts a complete collection must reach. */
    public record Expected(int tickets, int followups, int refusals) {
        public int total() {
            return tickets + followups + refusals;
        }
    }

    static SplittableRandom random(long seed, long index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    }

    private static long uniform(SplittableRandom r, long min, long max) {
        return min == max ? min : r.nextLong(min, max + 1);
    }

    /** Log-uniform: each doubling of size is as likely as the next, as attachment sizes are in real mail. */
    private static long logUniform(SplittableRandom r, long min, long max) {
        if (min == max) {
            return min;
        }
        double lo = Math.log((double) min);
        double hi = Math.log((double) max);
        return Math.min(max, Math.max(min, Math.round(Math.exp(lo + r.nextDouble() * (hi - lo)))));
    }
}
