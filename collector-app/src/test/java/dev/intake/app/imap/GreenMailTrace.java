package dev.intake.app.imap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * What GreenMail received from clients, line by line ("C: ..." in its debug log): the server side of the wire,
 * independent of anything the client logs. Install before the client connects; close afterwards.
 */
final class GreenMailTrace extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private static final String CLIENT_PREFIX = "C: ";

    private final List<String> clientLines = new CopyOnWriteArrayList<>();
    private final Logger greenmail = (Logger) LoggerFactory.getLogger("com.icegreen.greenmail");
    private final Logger lines = (Logger) LoggerFactory.getLogger("com.icegreen.greenmail.util.LineLoggingBuffer");
    private final Level greenmailLevel = greenmail.getLevel();

    static GreenMailTrace install() {
        GreenMailTrace trace = new GreenMailTrace();
        trace.setContext(trace.lines.getLoggerContext());
        trace.start();
        // The IMAP handler decides at connection time whether to log the wire, by its own debug level.
        trace.greenmail.setLevel(Level.DEBUG);
        trace.lines.addAppender(trace);
        return trace;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (message.startsWith(CLIENT_PREFIX)) {
            // GreenMail escapes CR LF as \r\n
            clientLines.add(message.substring(CLIENT_PREFIX.length()).replace("\\r", "").replace("\\n", ""));
        }
    }

    /** The commands received so far, tags included, e.g. {@code A1 AUTHENTICATE XOAUTH2 dXNlc...}. */
    List<String> clientLines() {
        return List.copyOf(clientLines);
    }

    void clear() {
        clientLines.clear();
    }

    /** How many received commands contain the given word, e.g. "FETCH". */
    long commandsContaining(String word) {
        return clientLines.stream().filter(l -> l.contains(" " + word + " ") || l.endsWith(" " + word)).count();
    }

    @Override
    public void close() {
        lines.detachAppender(this);
        greenmail.setLevel(greenmailLevel);
        stop();
    }
}
