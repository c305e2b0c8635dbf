package dev.intake.app.check;

import java.util.List;

/**
 * What a connection test found, one step after the other; a step after a failed one is not tried.
 *
 * @param mailboxId the mailbox tested
 * @param steps     in the order they were taken
 */
public record ConnectionReport(String mailboxId, List<Step> steps) {

    public ConnectionReport {
        steps = List.copyOf(steps);
    }

    /** How a step went. */
    public enum Outcome { OK, FAILED, NOT_TRIED }

    /**
     * One step.
     *
     * @param name   what was tried, e.g. {@code Access token}
     * @param detail on success what was seen, on failure a sentence that says what went wrong and what to do
     */
    public record Step(String name, Outcome outcome, String detail) {

        public boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    /** True when every step worked: the mailbox can be collected. */
    public boolean ok() {
        return steps.stream().allMatch(Step::ok);
    }
}
