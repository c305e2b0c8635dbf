package dev.intake.config;

/** How the IMAP connection is secured. Both verify the server certificate. */
public enum ImapSecurity {
    /** TLS from the first byte, port 993. */
    TLS,
    /** Plain connection upgraded with STARTTLS before authenticating, which must succeed. */
    STARTTLS
}
