package dev.intake.provider.entra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.intake.provider.Grant;
import java.util.Optional;

/**
 * What an Entra grant holds: msal4j's serialized token cache (where the refresh token lives; msal4j never hands it
 * out) and the home account id that picks the mailbox's account out of it. Stored as a small JSON object with a
 * format version, so a later Intake can read grants an earlier one wrote.
 */
record EntraGrant(String homeAccountId, String tokenCache) {

    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    Grant toGrant() {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("homeAccountId", homeAccountId);
        node.put("msalTokenCache", tokenCache);
        try {
            return Grant.of(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON object of two strings always serializes", e);
        }
    }

    /** Empty when the material is not an Entra grant of a format this version reads. */
    static Optional<EntraGrant> from(Grant grant) {
        try {
            JsonNode node = JSON.readTree(grant.material());
            if (node == null || node.path("format").asInt() != FORMAT
                    || !node.path("homeAccountId").isTextual() || !node.path("msalTokenCache").isTextual()) {
                return Optional.empty();
            }
            return Optional.of(new EntraGrant(node.get("homeAccountId").asText(), node.get("msalTokenCache").asText()));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "EntraGrant[homeAccountId=" + homeAccountId + ", tokenCache=******]";
    }
}
