package dev.intake.bench.imap;

import dev.intake.config.Secret;

/** The IMAP server a scenario measures against: Dovecot (a production server) or GreenMail (in-memory, for tests). */
public interface ImapServer extends AutoCloseable {

    /** A mailbox of the server: its address (the IMAP user) and the access token it accepts. */
    record User(String address, Secret token) {
    }

    /** Where clients connect: the benchmark's certificate names localhost. */
    String HOST = "localhost";

    /** The IMAPS port on 127.0.0.1. */
    int port();

    /** CPU time (user + system) the server's processes have used so far, children included, in seconds. */
    double cpuSeconds();

    /** The server's name and version, for the results table. */
    String describe();

    @Override
    void close();
}
