package dev.intake.config;

import java.time.Duration;

/**
 * What the first collection after an authorization takes from a mailbox that already holds mail.
 * The default, unread mail of the last 7 days, keeps a years-old backlog from becoming tickets.
 */
public sealed interface InitialSync {

    /** Only mail that arrives from now on. */
    record OnlyNew() implements InitialSync {
        @Override
        public String toString() {
            return "new";
        }
    }

    /** Every unread message. */
    record Unread() implements InitialSync {
        @Override
        public String toString() {
            return "unread";
        }
    }

    /** Every message in the folder. */
    record All() implements InitialSync {
        @Override
        public String toString() {
            return "all";
        }
    }

    /** Unread messages received within the given period. */
    record UnreadWithin(Duration period) implements InitialSync {
        @Override
        public String toString() {
            return Durations.format(period);
        }
    }

    InitialSync DEFAULT = new UnreadWithin(Duration.ofDays(7));
}
