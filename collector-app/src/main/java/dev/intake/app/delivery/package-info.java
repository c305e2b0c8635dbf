/**
 * Delivery of tickets to helpdesks and webhooks: an outbox written in the transaction of the ticket, followup or
 * attachment it delivers (one item per target), sent in order per ticket by a clustered job with retries, capped
 * backoff and a dead-letter list. Targets ({@link dev.intake.app.delivery.DeliveryTarget}) live in subpackages, one
 * per remote API; this package never names them.
 */
package dev.intake.app.delivery;
