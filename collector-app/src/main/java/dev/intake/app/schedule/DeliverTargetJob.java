package dev.intake.app.schedule;

import java.util.concurrent.atomic.AtomicBoolean;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.MDC;

/**
 * The Quartz job of one delivery target. {@link DisallowConcurrentExecution} on the clustered JDBC job store means
 * one node at a time sends a target's items, so they go in order; a node that dies leaves the job to another.
 */
@DisallowConcurrentExecution
public final class DeliverTargetJob implements InterruptableJob {

    static final String TARGET_KEY = "target";

    private final TargetRunner runner;
    private final AtomicBoolean stop = new AtomicBoolean();

    DeliverTargetJob(TargetRunner runner) {
        this.runner = runner;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String target = context.getMergedJobDataMap().getString(TARGET_KEY);
        MDC.put("target", target);
        try {
            runner.deliver(target, stop::get);
        } finally {
            MDC.remove("target");
        }
    }

    @Override
    public void interrupt() {
        stop.set(true);
    }
}
