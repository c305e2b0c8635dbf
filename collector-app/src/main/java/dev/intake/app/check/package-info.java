/**
 * Checking a mailbox's access without collecting it: Test connection on the mailbox page and {@code intake test}.
 */
package dev.intake.app.check;
