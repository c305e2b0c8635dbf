/**
 * Holding the bytes of mail and attachments between the IMAP server and the database: in memory while small, in
 * temporary files when large, so that collection needs about the same heap for a 50 MB message as for a 5 KB one.
 */
package dev.intake.app.spool;
