package dev.intake.config;

/** Which date a ticket carries. */
public enum DateSource {
    /** The message's Date header (falling back to collection time when missing or unparseable). */
    MAIL,
    /** The moment Intake collected it. */
    COLLECTED
}
