package dev.intake.app.schedule;

import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
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
    private final AtomicBoolean stop = new AtomicBoolean();

    CollectMailboxJob(MailboxRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String mailboxId = context.getMergedJobDataMap().getString(MAILBOX_KEY);
        MDC.put("mailbox", mailboxId);
        try {
            boolean forced = "true".equals(context.getMergedJobDataMap().getString(FORCED_KEY));
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
