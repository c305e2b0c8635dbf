package dev.intake.app.collect;

/** A run failed; what it managed before failing is committed and in {@link #summary()}. */
public final class CollectionFailedException extends Exception {

    private final transient PollSummary summary;

    public CollectionFailedException(String message, PollSummary summary, Throwable cause) {
        super(message, cause);
        this.summary = summary;
    }

    public PollSummary summary() {
        return summary;
    }
}
