package dev.intake.app.delivery;

/**
 * A helpdesk or webhook that delivered items are sent to, one item at a time. An implementation speaks one remote
 * API; the outbox decides what to send, when, and how often to try (see {@link DeliveryFailure.Kind}).
 *
 * <p>Implementations are built from their configuration record and a shared {@code java.net.http.HttpClient}, and
 * are replaced when the configuration changes (a rotated secret), so they may cache a session or token for their
 * lifetime. {@link #deliver} is called by one thread at a time.
 */
public interface DeliveryTarget extends AutoCloseable {

    /** The configured name. */
    String name();

    /** Whether this target takes items of this kind at all (a GLPI target takes no mailbox events). */
    boolean accepts(ItemKind kind);

    /**
     * Sends one item, or finds that an earlier attempt already did ({@link Delivery#maybeSentBefore()}).
     *
     * @return the remote item's id, which later items of the same ticket are given
     * @throws DeliveryFailure saying whether and how to try again
     */
    Delivered deliver(Delivery delivery) throws DeliveryFailure;

    /** Gives back what the target holds (a GLPI session: {@code killSession}); never throws. */
    @Override
    default void close() {
    }
}
