package dev.intake.config;

import java.util.List;

/**
 * The part of a provider's configuration that its own module defines and reads: Entra's tenant and authority,
 * Google's endpoints. Implementations are records, so that two loads of the same file give equal configurations
 * (the app builds a provider anew only when its configuration changed).
 */
public interface ProviderSettings {

    /** Every setting, for {@code intake config check}: e.g. {@code tenant contoso.onmicrosoft.com}. Never a secret. */
    List<Fact> summary();

    /**
     * What tells an admin which registration at the provider this is, besides the client ID; the Providers page
     * shows it (Entra: the tenant). Often nothing.
     */
    List<Fact> registration();

    /** One setting as people read it. */
    record Fact(String label, String value) {
    }
}
