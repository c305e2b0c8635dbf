package dev.intake.app.imap;

import dev.intake.config.ImapSecurity;
import java.util.Properties;

/**
 * The Angus Mail settings for one target. Kept in one place because each line closes a trap; see the comments.
 */
final class ImapProperties {

    /**
     * Bytes per partial FETCH of a streamed message body: it passes through memory in chunks of this size, and
     * each chunk costs a round trip. A megabyte keeps both small: a 50 MB message takes 50 round trips (at 64 KiB
     * it took 800, which against a server 40 ms away is half a minute).
     */
    static final int FETCH_CHUNK_BYTES = 1024 * 1024;

    private ImapProperties() {
    }

    static Properties forTarget(ImapTarget target, TlsTrust trust) {
        String p = "mail." + Xoauth2OnlyStore.protocolOf(target.security()) + ".";
        Properties props = new Properties();

        // Never trace the protocol: the XOAUTH2 initial response is base64 of the token.
        props.setProperty("mail.debug", "false");
        props.setProperty("mail.debug.auth", "false");

        // XOAUTH2 only. The *.disable switches matter only for Angus's default list, but say the intent;
        // the fallback to LOGIN that no property prevents is closed in Xoauth2OnlyStore.preLogin.
        props.setProperty(p + "auth.mechanisms", "XOAUTH2");
        props.setProperty(p + "auth.login.disable", "true");
        props.setProperty(p + "auth.plain.disable", "true");
        props.setProperty(p + "auth.ntlm.disable", "true");
        props.setProperty(p + "sasl.enable", "false");

        // TLS: our trust, host name verified, and no silent second attempt with another socket factory.
        props.put(p + "ssl.socketFactory", trust.socketFactory());
        props.setProperty(p + "ssl.checkserveridentity", "true");
        props.setProperty(p + "socketFactory.fallback", "false");
        if (target.security() == ImapSecurity.TLS) {
            props.setProperty(p + "ssl.enable", "true");
        } else {
            props.setProperty(p + "starttls.enable", "true");
            props.setProperty(p + "starttls.required", "true");
        }

        props.setProperty(p + "connectiontimeout", Long.toString(target.connectTimeout().toMillis()));
        props.setProperty(p + "timeout", Long.toString(target.readTimeout().toMillis()));

        // Reading must not mark mail as read: \Seen is a post-action decided after the ticket is committed.
        props.setProperty(p + "peek", "true");
        props.setProperty(p + "partialfetch", "true");
        props.setProperty(p + "fetchsize", Integer.toString(FETCH_CHUNK_BYTES));

        // A search the server cannot do must fail, not be done by downloading the folder.
        props.setProperty(p + "throwsearchexception", "true");
        return props;
    }
}
