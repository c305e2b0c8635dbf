package dev.intake.app.ledger;

import dev.intake.app.mail.RefusalReason;
import dev.intake.app.spool.Spool;
import java.util.Optional;

/** What collection decided for a message, as the ledger records it. */
public sealed interface Decision {

    Outcome outcome();

    /** The ticket the message became or joined; none for a refusal. */
    default Optional<Long> ticket() {
        return Optional.empty();
    }

    /** What the record's detail column says, if anything. */
    default Optional<String> detail() {
        return Optional.empty();
    }

    /** A new ticket. */
    record NewTicket(long number) implements Decision {
        @Override
        public Outcome outcome() {
            return Outcome.TICKET;
        }

        @Override
        public Optional<Long> ticket() {
            return Optional.of(number);
        }
    }

    /** A followup on an existing ticket. */
    record Followup(long number, long followupId) implements Decision {
        @Override
        public Outcome outcome() {
            return Outcome.FOLLOWUP;
        }

        @Override
        public Optional<Long> ticket() {
            return Optional.of(number);
        }
    }

    /** A second copy of a message already ticketed: the same post-action, no new ticket. */
    record Duplicate(long number) implements Decision {
        @Override
        public Outcome outcome() {
            return Outcome.DUPLICATE;
        }

        @Override
        public Optional<Long> ticket() {
            return Optional.of(number);
        }

        @Override
        public Optional<String> detail() {
            return Optional.of("same message as ticket #" + number);
        }
    }

    /** Refused with a reason; the original is kept (when given) so that an admin can still import it. */
    record Refused(RefusalReason reason, String why, Optional<Spool> original) implements Decision {
        @Override
        public Outcome outcome() {
            return Outcome.REFUSED;
        }

        @Override
        public Optional<String> detail() {
            return Optional.of(why);
        }
    }
}
