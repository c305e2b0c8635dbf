package dev.intake.app.schedule;

import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.DisallowConcurrentExecution;
import java.time.Duration;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleTrigger;
import org.slf4j.MDC;

/**
 * The Quartz job of one mailbox. {@link DisallowConcurrentExecution} on a JDBC job store means one run of a mailbox
 * at a time across every node of a cluster.
 */
@DisallowConcurrentExecution
public final class CollectMailboxJob implements InterruptableJob {

    static final String MAILBOX_KEY = "mailbox";
    static final String FORCED_KEY = "forced";

    private final MailboxRunner runner;
    private final RecentStarts starts;
    private final AtomicBoolean stop = new AtomicBoolean();

    CollectMailboxJob(MailboxRunner runner, RecentStarts starts) {
        this.runner = runner;
        this.starts = starts;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String mailboxId = context.getMergedJobDataMap().getString(MAILBOX_KEY);
        MDC.put("mailbox", mailboxId);
        try {
            boolean forced = "true".equals(context.getMergedJobDataMap().getString(FORCED_KEY));
            if (!forced && context.getTrigger() instanceof SimpleTrigger repeating
                    && !starts.mayStart(mailboxId, Duration.ofMillis(repeating.getRepeatInterval() / 2))) {
                // A catch-up fire of a trigger that ran late: the mailbox was polled moments ago.
                return;
            }
            runner.run(mailboxId, forced, stop::get);
        } finally {
            MDC.remove("mailbox");
        }
    }

    /** Called on shutdown: the run stops after the message in hand. */
    @Override
    public void interrupt() {
        stop.set(true);
    }
}
