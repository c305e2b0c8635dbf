package dev.intake.provider.entra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The signed-in account's address from an Entra ID token: {@code email}, else {@code preferred_username}, else
 * {@code upn}, whichever first holds an address, in lower case. The signature is not checked: the token came
 * straight from the token endpoint over TLS, which OpenID Connect Core 3.1.3.7 accepts in its place.
 */
final class IdTokenAddress {

    private static final List<String> CLAIMS = List.of("email", "preferred_username", "upn");
    private static final ObjectMapper JSON = new ObjectMapper();

    private IdTokenAddress() {
    }

    static Optional<String> of(String idToken) {
        if (idToken == null) {
            return Optional.empty();
        }
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        for (String claim : CLAIMS) {
            String value = claims.path(claim).asText("").trim();
            // preferred_username is not always an address (it can be a phone number); skip what is not one
            if (value.indexOf('@') > 0) {
                return Optional.of(value.toLowerCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
