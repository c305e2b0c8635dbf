package dev.intake.bench.corpus;

/**
 * One message of a corpus, before it is written out.
 *
 * @param index          position in the corpus, from 0; the order the messages are delivered in
 * @param kind           what Intake should make of it
 * @param html           true for text with an HTML alternative, false for plain text only
 * @param textSize       bytes of body text (the HTML alternative comes on top)
 * @param attachmentSize decoded bytes of the attachment, 0 when there is none
 * @param repliesTo      index of the message this one replies to, -1 when it is not a reply
 */
public record MessagePlan(int index, Kind kind, boolean html, int textSize, long attachmentSize, int repliesTo) {

    /** The three kinds of the mix. */
    public enum Kind {
        /** Text or text+HTML, 2-20 KB: a new ticket. */
        SMALL,
        /** Text and one attachment: a new ticket with an attachment. */
        ATTACHMENT,
        /** A reply naming an earlier message in In-Reply-To and References: a followup. */
        REPLY
    }
}
