package dev.intake.app.apiclient;

import java.util.Optional;
import java.util.Set;

/**
 * Who an API call with a valid bearer token comes from, and what its token allows.
 *
 * @param admin the Intake admin the client acts for (authorization code grant); empty for client credentials
 */
public record ApiCaller(String clientId, String clientName, Set<Scope> scopes, Optional<String> admin) {

    public ApiCaller {
        scopes = Set.copyOf(scopes);
    }

    /** How the run and audit log name the caller. */
    public String actor() {
        return "API client '" + clientName + "' (" + clientId + ")" + admin.map(a -> " for admin '" + a + "'").orElse("");
    }
}
