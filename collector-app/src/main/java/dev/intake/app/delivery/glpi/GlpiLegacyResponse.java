package dev.intake.app.delivery.glpi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * What GLPI's legacy REST API answered: the status, the JSON body (a {@link MissingNode} when the body was not JSON,
 * such as a proxy's error page) and the headers. GLPI reports an error as a JSON array
 * {@code ["ERROR_CODE", "message"]} ({@code API::returnError}).
 */
record GlpiLegacyResponse(int status, JsonNode body, String text, HttpHeaders headers) {

    boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** GLPI's error code ({@code ERROR_SESSION_TOKEN_INVALID}, ...), when the body is GLPI's error array. */
    Optional<String> errorCode() {
        if (body.isArray() && body.size() >= 1 && body.get(0).isTextual()
                && body.get(0).asText().startsWith("ERROR")) {
            return Optional.of(body.get(0).asText());
        }
        return Optional.empty();
    }

    /**
     * GLPI's own words for the error, without the pointer to its documentation that {@code returnError} appends; for a
     * body that is not GLPI's, its start.
     */
    String errorMessage() {
        if (errorCode().isPresent() && body.size() >= 2) {
            JsonNode message = body.get(1);
            String words = message.isTextual() ? message.asText() : message.toString();
            int documentation = words.indexOf("; view documentation");
            return (documentation >= 0 ? words.substring(0, documentation) : words).strip();
        }
        String start = text.strip();
        return start.length() <= 300 ? start : start.substring(0, 300) + "\u2026";
    }

    /** The numeric {@code id} of a created item ({@code {"id": 15, "message": ""}}). */
    Optional<Long> createdId() {
        JsonNode id = body.path("id");
        if (id.canConvertToLong() && id.asLong() > 0) {
            return Optional.of(id.asLong());
        }
        if (id.isTextual() && id.asText().matches("[0-9]{1,18}") && Long.parseLong(id.asText()) > 0) {
            return Optional.of(Long.parseLong(id.asText()));
        }
        return Optional.empty();
    }
}
