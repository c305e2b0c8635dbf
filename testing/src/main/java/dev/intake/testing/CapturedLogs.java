package dev.intake.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open, at every level down to DEBUG/FINEST: through SLF4J into Logback (Intake, msal4j)
 * and through java.util.logging (google-http-client). For tests that prove no log line carries a secret.
 */
public final class CapturedLogs implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();
    private final Logger root;
    private final Level previousLevel;
    private final AppenderBase<ILoggingEvent> appender;
    private final java.util.logging.Logger julRoot;
    private final java.util.logging.Level previousJulLevel;
    private final Handler julHandler;

    private CapturedLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        previousLevel = root.getLevel();
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                add(line.toString());
            }
        };
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.ALL);

        julRoot = LogManager.getLogManager().getLogger("");
        previousJulLevel = julRoot.getLevel();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder line = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " "
                        + new java.util.logging.SimpleFormatter().formatMessage(record));
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t);
                }
                add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        julRoot.addHandler(julHandler);
        julRoot.setLevel(java.util.logging.Level.ALL);
        // google-http-client logs request and response content only when its own logger is at CONFIG or finer
        java.util.logging.Logger.getLogger("com.google.api.client.http.HttpTransport").setLevel(java.util.logging.Level.ALL);
    }

    /** Starts capturing; close it to restore the previous levels. */
    public static CapturedLogs capture() {
        return new CapturedLogs();
    }

    private synchronized void add(String line) {
        lines.add(line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** All captured lines, one per line. */
    public synchronized String text() {
        return String.join("\n", lines);
    }

    /** A throwable as a log line or an error page would show it: every message and toString down the cause chain. */
    public static String describe(Throwable throwable) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            text.append(t).append('\n').append(t.getMessage()).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                text.append(describe(suppressed));
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(previousLevel);
        julRoot.removeHandler(julHandler);
        julRoot.setLevel(previousJulLevel);
        java.util.logging.Logger.getLogger("com.google.api.client.http.HttpTransport").setLevel(null);
    }
}
