/**
 * From a fetched mail to what a ticket needs, without storage or network: {@link dev.intake.app.mail.MailParser}
 * reads raw RFC 822 bytes into a {@link dev.intake.app.mail.ParsedMail} (never throwing for bad mail),
 * {@link dev.intake.app.mail.MailClassifier} decides accept or refuse with a
 * {@link dev.intake.app.mail.RefusalReason}, and {@link dev.intake.app.mail.ThreadMatcher} finds the ticket a
 * reply belongs to through a {@link dev.intake.app.mail.TicketLookup} the store implements.
 *
 * <p>Typical use per message: {@code classifyBySize} on the size from the envelope fetch (before the body is
 * fetched), then {@code parse}, {@code classify}, and for accepted mail {@code match}.
 */
package dev.intake.app.mail;
