package dev.intake.provider;

/** An IMAP server address. */
public record ImapEndpoint(String host, int port) {
}
