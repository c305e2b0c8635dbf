/**
 * The webhook target: each event POSTed as JSON to a URL and signed as the Standard Webhooks specification says
 * ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}), so receivers verify it with any of the
 * specification's libraries and drop a resend by its {@code webhook-id}.
 */
package dev.intake.app.delivery.webhook;
