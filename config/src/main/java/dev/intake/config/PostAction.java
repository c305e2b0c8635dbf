package dev.intake.config;

/** What happens to a message on the server once its ticket (or refusal) is committed. */
public enum PostAction {
    /** Move to {@code accepted-folder} / {@code refused-folder}. */
    MOVE,
    /** Flag as \Seen and leave it where it is. */
    SEEN,
    /** Delete and expunge. */
    DELETE
}
