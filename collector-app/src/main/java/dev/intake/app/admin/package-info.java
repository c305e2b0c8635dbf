/**
 * Who may use the admin's browser: admin accounts (from {@code collector.yaml}, or the initial admin a fresh Intake
 * creates), bcrypt password checks, sessions and sign-in throttling kept in the database so that every node of a
 * cluster agrees, and the CSRF token tied to each session. The HTTP side lives in {@code dev.intake.app.web}.
 */
package dev.intake.app.admin;
