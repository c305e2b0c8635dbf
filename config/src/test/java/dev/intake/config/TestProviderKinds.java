package dev.intake.config;

import dev.intake.config.ProviderSettings.Fact;
import java.util.List;
import java.util.Set;

/**
 * Stand-ins for the provider modules, which this module cannot see: kinds {@code entra} and {@code google} with the
 * real kinds' keys, read through {@link ProviderSection}'s getters. Registered in this module's test resources. What
 * the real kinds say about their values is tested in their own modules.
 */
public final class TestProviderKinds {

    private TestProviderKinds() {
    }

    record Settings(List<Fact> summary) implements ProviderSettings {

        @Override
        public List<Fact> registration() {
            return List.of();
        }
    }

    public static final class Entra implements ProviderKind {

        @Override
        public String type() {
            return "entra";
        }

        @Override
        public String displayName() {
            return "Test Entra";
        }

        @Override
        public List<String> keys() {
            return List.of("tenant", "authority");
        }

        @Override
        public ProviderSettings read(ProviderSection section) {
            String tenant = section.requiredString("tenant", "give the tenant");
            section.baseUrl("authority", Set.of("https"), "https://login.example.com/");
            return new Settings(List.of(new Fact("tenant", tenant)));
        }
    }

    public static final class Google implements ProviderKind {

        @Override
        public String type() {
            return "google";
        }

        @Override
        public String displayName() {
            return "Test Google";
        }

        @Override
        public List<String> keys() {
            return List.of("auth-uri", "token-uri");
        }

        @Override
        public ProviderSettings read(ProviderSection section) {
            section.url("auth-uri", Set.of("http", "https"), "https://accounts.example.com/auth");
            section.url("token-uri", Set.of("http", "https"), "https://oauth2.example.com/token");
            return new Settings(List.of());
        }
    }
}
