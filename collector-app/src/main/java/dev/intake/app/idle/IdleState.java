package dev.intake.app.idle;

/** What the idler of a mailbox is doing. */
public enum IdleState {
    /** Connecting, before the first IDLE. */
    STARTING,
    /** In IDLE: new mail is collected as the server announces it. */
    IDLING,
    /** The server does not offer IDLE: the idler polls every {@code poll-every} instead. */
    FALLBACK,
    /** The connection failed or ended; reconnecting after a pause that grows with each failure. */
    RECONNECTING
}
