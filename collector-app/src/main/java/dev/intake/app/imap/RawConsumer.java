package dev.intake.app.imap;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives one message's raw RFC 5322 bytes as they arrive from the server.
 * The stream is valid only during {@link #accept}; it is closed afterwards.
 */
@FunctionalInterface
public interface RawConsumer {

    /**
     * @throws IOException for the consumer's own failures (for example storage); failures of the IMAP side
     *                     surface from {@link ImapFolder#withRaw} as {@link ImapException}s instead
     */
    void accept(InputStream raw) throws IOException;
}
