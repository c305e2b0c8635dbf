package dev.intake.app.apiclient;

import java.util.Set;

/** Who an API call with a valid bearer token comes from, and what its token allows. */
public record ApiCaller(String clientId, String clientName, Set<Scope> scopes) {

    public ApiCaller {
        scopes = Set.copyOf(scopes);
    }

    /** How the run and audit log name the caller. */
    public String actor() {
        return "API client '" + clientName + "' (" + clientId + ")";
    }
}
