package dev.intake.config;

import java.time.Duration;

/**
 * The settings of a mailbox in {@code mode: idle}.
 *
 * @param reissueEvery     IDLE is ended and issued again this often ({@code idle-reissue-every}): Gmail and Exchange
 *                         end an IDLE after about 29-30 minutes, RFC 2177 says servers may after 30
 * @param safetyPollEvery  the scheduled poll that still runs beside IDLE ({@code idle-safety-poll-every}), in case
 *                         a notification is lost
 */
public record IdleSettings(Duration reissueEvery, Duration safetyPollEvery) {
}
