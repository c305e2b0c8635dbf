package dev.intake.bench.corpus;

import dev.intake.config.ByteSizes;

/**
 * What corpus to generate. The same spec (seed included) always gives the same messages, byte for byte.
 *
 * @param count        messages in the corpus
 * @param smallShare   percent of plain text or text+HTML messages without attachments
 * @param attachShare  percent of messages with one attachment
 * @param replyShare   percent of replies to earlier messages of the corpus (they become followups)
 * @param small        size range of the small messages (and of the text of the others)
 * @param attachment   size range of the attachments (decoded; drawn log-uniformly, so small ones are more common)
 * @param seed         seed of every random choice
 */
public record CorpusSpec(int count, int smallShare, int attachShare, int replyShare, SizeRange small,
                         SizeRange attachment, long seed) {

    /** The default: 5,000 messages, 80% small (2-20 KB), 15% with attachments (100 KB-2 MB), 5% replies. */
    public static CorpusSpec standard() {
        return new CorpusSpec(5000, 80, 15, 5, SizeRange.parse("2KB-20KB"), SizeRange.parse("100KB-2MB"), 42);
    }

    public CorpusSpec {
        if (count < 1) {
            throw new IllegalArgumentException("the corpus needs at least one message, was " + count);
        }
        if (smallShare < 0 || attachShare < 0 || replyShare < 0 || smallShare + attachShare + replyShare != 100) {
            throw new IllegalArgumentException("the mix must be three shares (small, attachments, replies) adding up to 100, "
                    + "e.g. 80,15,5; was " + smallShare + "," + attachShare + "," + replyShare);
        }
        if (smallShare + attachShare == 0) {
            throw new IllegalArgumentException("replies need earlier messages to reply to: the mix needs small messages or "
                    + "messages with attachments");
        }
    }

    public CorpusSpec withCount(int newCount) {
        return new CorpusSpec(newCount, smallShare, attachShare, replyShare, small, attachment, seed);
    }

    /** The same sizes and seed, another mix. */
    public CorpusSpec withMix(int newSmall, int newAttach, int newReply) {
        return new CorpusSpec(count, newSmall, newAttach, newReply, small, attachment, seed);
    }

    /** Parses {@code small,attachments,replies} in percent, e.g. {@code 80,15,5}. */
    public CorpusSpec withMix(String mix) {
        String[] parts = mix.split(",");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--mix takes three percentages small,attachments,replies, e.g. 80,15,5; was '"
                    + mix + "'");
        }
        try {
            return withMix(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mix takes whole percentages, e.g. 80,15,5; was '" + mix + "'");
        }
    }

    public CorpusSpec withSmall(SizeRange range) {
        return new CorpusSpec(count, smallShare, attachShare, replyShare, range, attachment, seed);
    }

    public CorpusSpec withAttachment(SizeRange range) {
        return new CorpusSpec(count, smallShare, attachShare, replyShare, small, range, seed);
    }

    public CorpusSpec withSeed(long newSeed) {
        return new CorpusSpec(count, smallShare, attachShare, replyShare, small, attachment, newSeed);
    }

    /** For the printed table: {@code 80% small 2KB-20KB, 15% attachments 100KB-2MB, 5% replies}. */
    public String describe() {
        return smallShare + "% small " + small + ", " + attachShare + "% with an attachment " + attachment + ", "
                + replyShare + "% replies, seed " + seed;
    }

    /** An inclusive range of sizes in bytes, written {@code 2KB-20KB}. */
    public record SizeRange(long min, long max) {

        public SizeRange {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("a size range needs 1 <= min <= max, was " + min + "-" + max);
            }
        }

        public static SizeRange parse(String text) {
            String[] parts = text.split("-");
            if (parts.length != 2) {
                throw new IllegalArgumentException("a size range is written MIN-MAX, e.g. 100KB-2MB; was '" + text + "'");
            }
            return new SizeRange(ByteSizes.parse(parts[0]), ByteSizes.parse(parts[1]));
        }

        @Override
        public String toString() {
            return ByteSizes.format(min) + "-" + ByteSizes.format(max);
        }
    }
}
