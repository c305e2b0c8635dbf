package dev.intake.app.mail;

/** Why a mail does not become a ticket; recorded with the mail and shown to the admin. */
public enum RefusalReason {
    OVERSIZE("Too large"),
    LOOP("Sent by the mailbox itself (mail loop)"),
    BLOCKED_SENDER("Blocked sender"),
    BOUNCE("Bounce or delivery report"),
    AUTO_REPLY("Automatic reply"),
    MAILING_LIST("Mailing list post"),
    BULK("Bulk mail or newsletter"),
    /** Not a judgement on the mail: Intake could not store it (the error is in the record's detail). */
    PROCESSING_ERROR("Could not be stored");

    private final String label;

    RefusalReason(String label) {
        this.label = label;
    }

    /** A short human label for lists and the admin UI. */
    public String label() {
        return label;
    }
}
