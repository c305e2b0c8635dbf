package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.DeliveryFailure;
import dev.intake.app.delivery.DeliveryFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How an answer of GLPI's legacy REST API that is not a success becomes a {@link DeliveryFailure}: which of them
 * mean "try again", "this item will never go" or "fix the target's configuration", each with a message that says what
 * happened and what to do. The error codes and statuses are those of GLPI 10.0's {@code src/Api/API.php}
 * ({@code initSession}, {@code checkAppToken}, {@code initApi}, {@code returnError} and the {@code message*Error}
 * helpers). GLPI's messages are passed on after every configured secret was blanked out of them.
 */
final class GlpiLegacyFailures {

    /** Codes that say the target's configuration or GLPI's setup is wrong: nothing of this target can go. */
    private static final Set<String> REFUSING_INTAKE = Set.of(
            "ERROR_GLPI_LOGIN_USER_TOKEN", "ERROR_GLPI_LOGIN", "ERROR_LOGIN_PARAMETERS_MISSING",
            "ERROR_LOGIN_WITH_CREDENTIALS_DISABLED", "ERROR_APP_TOKEN_PARAMETERS_MISSING",
            "ERROR_WRONG_APP_TOKEN_PARAMETER", "ERROR_NOT_ALLOWED_IP", "ERROR_RIGHT_MISSING",
            "ERROR_SESSION_TOKEN_INVALID", "ERROR_SESSION_TOKEN_MISSING");

    private final String target;
    private final List<String> secrets;
    private final Clock clock;

    GlpiLegacyFailures(String target, List<String> secrets, Clock clock) {
        this.target = target;
        this.secrets = secrets.stream().filter(s -> s.length() >= 4).toList();
        this.clock = clock;
    }

    /**
     * The failure an answer means.
     *
     * @param what    what was asked, for the message ("create the ticket", "open a session")
     * @param creates whether the request creates an item: then a proxy's 502 or 504 leaves it unknown whether GLPI did
     */
    DeliveryFailure of(GlpiLegacyResponse answer, String what, boolean creates) {
        int status = answer.status();
        String code = answer.errorCode().orElse("");
        String glpiSays = scrub(answer.errorMessage());
        if (REFUSING_INTAKE.contains(code) || status == 401 || status == 403 || apiDisabled(answer)) {
            return new DeliveryFailure(Kind.UNAUTHORIZED, refusal(code, glpiSays, answer, what));
        }
        if (status < 300) {
            return new DeliveryFailure(Kind.RETRY, "GLPI (target " + target + ") answered the request to " + what
                    + " with an error (" + code + describe(glpiSays) + ") and HTTP " + status
                    + "; Intake tries again later.");
        }
        if (status == 429 || status == 408 || status == 503 || (status >= 500 && !creates)) {
            return new DeliveryFailure(Kind.RETRY, "GLPI (target " + target + ") could not " + what + " now (HTTP "
                    + status + describe(glpiSays) + "); Intake tries again later.", retryAfter(answer), null);
        }
        if (status == 502 || status == 504) {
            return new DeliveryFailure(Kind.UNCERTAIN, "A proxy in front of GLPI (target " + target + ") gave up on the"
                    + " request to " + what + " (HTTP " + status + "): GLPI may have done it, so Intake looks for it"
                    + " before trying again.", retryAfter(answer), null);
        }
        if (status >= 500) {
            return new DeliveryFailure(Kind.RETRY, "GLPI (target " + target + ") failed to " + what + " (HTTP " + status
                    + describe(glpiSays) + "); Intake tries again later. If it lasts, see GLPI's logs (files/_log).",
                    retryAfter(answer), null);
        }
        if (status >= 300 && status < 400) {
            return new DeliveryFailure(Kind.UNAUTHORIZED, "GLPI (target " + target + ") answered the request to " + what
                    + " with a redirect (HTTP " + status + " to " + answer.headers().firstValue("Location").orElse("?")
                    + "): set the target's url to GLPI's address as it is reached without a redirect (https, path).");
        }
        if (code.equals("ERROR_GLPI_ADD") && glpiSays.isEmpty()) {
            return new DeliveryFailure(Kind.REJECTED, "GLPI (target " + target + ") refused to " + what
                    + " without saying why (ERROR_GLPI_ADD): see GLPI's logs (files/_log/php-errors.log) and the"
                    + " rules and mandatory fields of the ticket's entity; then Retry.");
        }
        return new DeliveryFailure(Kind.REJECTED, "GLPI (target " + target + ") refused to " + what + ": "
                + (code.isEmpty() ? "HTTP " + status : code) + describe(glpiSays)
                + ". Fix the cause in GLPI or in the target's settings, then Retry.");
    }

    /** A failure to reach GLPI at all, or an answer that is not GLPI's. */
    DeliveryFailure unreachable(Kind kind, String what, String why, Throwable cause) {
        String next = kind == Kind.UNCERTAIN
                ? " after the request was sent: GLPI may have done it, so Intake looks for it before trying again."
                : "; Intake tries again later. Check that GLPI is up and that the target's url is right.";
        return new DeliveryFailure(kind, "Could not " + what + " in GLPI (target " + target + "): " + scrub(why) + next,
                Optional.empty(), cause);
    }

    String scrub(String text) {
        String clean = text;
        for (String secret : secrets) {
            clean = clean.replace(secret, "******");
        }
        return clean;
    }

    private String refusal(String code, String glpiSays, GlpiLegacyResponse answer, String what) {
        String prefix = "GLPI (target " + target + ") refused to " + what + " (" + (code.isEmpty()
                ? "HTTP " + answer.status() : code) + describe(glpiSays) + "): ";
        return prefix + switch (code) {
            case "ERROR_GLPI_LOGIN_USER_TOKEN" -> "check the target's user-token: it must be the API token"
                    + " (\"Remote access key\") of an active GLPI user, from that user's Settings page.";
            case "ERROR_GLPI_LOGIN" -> "check the target's username and password, and that the GLPI user is active"
                    + " and may log in with GLPI's own authentication.";
            case "ERROR_LOGIN_PARAMETERS_MISSING" -> "set the target's user-token, or its username and password.";
            case "ERROR_LOGIN_WITH_CREDENTIALS_DISABLED" -> "GLPI forbids API logins with a password: set the"
                    + " target's user-token, or enable \"login with credentials\" in GLPI (Setup > General > API).";
            case "ERROR_APP_TOKEN_PARAMETERS_MISSING" -> "GLPI's API client for this address requires an App-Token:"
                    + " set the target's app-token to the App-Token of that API client (Setup > General > API).";
            case "ERROR_WRONG_APP_TOKEN_PARAMETER" -> "the target's app-token matches no active API client for this"
                    + " node's address: copy the App-Token of the API client (Setup > General > API) again.";
            case "ERROR_NOT_ALLOWED_IP" -> "no active API client in GLPI admits this node's IP address: add it to an"
                    + " API client's IP range (Setup > General > API).";
            case "ERROR_RIGHT_MISSING" -> "the GLPI user's profile lacks a right this needs: give that profile the"
                    + " rights to create tickets, followups and documents (and read users) in the target's entity.";
            case "ERROR_SESSION_TOKEN_INVALID", "ERROR_SESSION_TOKEN_MISSING" -> "GLPI dropped the session it had just"
                    + " opened: check GLPI's PHP session storage and the user's profile, then Retry.";
            default -> apiDisabled(answer)
                    ? "enable the REST API in GLPI (Setup > General > API, \"Enable Rest API\")."
                    : "check the target's credentials and the GLPI user's profile.";
        };
    }

    private static boolean apiDisabled(GlpiLegacyResponse answer) {
        // API::initApi: returnError(__("API disabled"), "", "", false) answers 400 ["ERROR", "API disabled"]
        return answer.body().isArray() && answer.body().size() >= 2 && answer.body().get(0).asText().equals("ERROR")
                && answer.body().get(1).asText().toLowerCase(Locale.ROOT).contains("api disabled");
    }

    private static String describe(String glpiSays) {
        return glpiSays.isEmpty() ? "" : ": " + glpiSays;
    }

    private Optional<Duration> retryAfter(GlpiLegacyResponse answer) {
        Optional<String> value = answer.headers().firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get().matches("[0-9]{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.get())));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
