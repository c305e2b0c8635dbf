/**
 * The record of what happened, for integrations: a ticket created, a followup added, a message refused, a mailbox's
 * state changed. Events are written in the transaction of what they tell (a ticket and its event commit together or
 * not at all) and read in commit order from a cursor that never skips and never repeats ({@link EventStore}); the delivery
 * outbox writes its items in the same transaction through {@link dev.intake.app.events.EventHook}, which this package
 * defines and never names the implementation of.
 */
package dev.intake.app.events;
