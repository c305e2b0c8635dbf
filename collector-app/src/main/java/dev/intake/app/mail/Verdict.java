package dev.intake.app.mail;

import java.util.Objects;
import java.util.Optional;

/** What {@link MailClassifier} decided: accept the mail, or refuse it with a reason and a detail for the admin. */
public final class Verdict {

    private static final Verdict ACCEPT = new Verdict(null, "");

    private final RefusalReason reason;
    private final String detail;

    private Verdict(RefusalReason reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    public static Verdict accept() {
        return ACCEPT;
    }

    /** @param detail what exactly triggered the refusal, for example {@code Auto-Submitted: auto-replied} */
    public static Verdict refuse(RefusalReason reason, String detail) {
        return new Verdict(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(detail, "detail"));
    }

    public boolean accepted() {
        return reason == null;
    }

    public boolean refused() {
        return reason != null;
    }

    /** The reason of a refusal; empty when accepted. */
    public Optional<RefusalReason> reason() {
        return Optional.ofNullable(reason);
    }

    /** What triggered a refusal; empty when accepted. */
    public String detail() {
        return detail;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Verdict that && reason == that.reason && detail.equals(that.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail);
    }

    @Override
    public String toString() {
        return accepted() ? "accept" : "refuse " + reason + ": " + detail;
    }
}
