package dev.intake.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The identity providers Intake speaks to. */
public enum ProviderType {
    ENTRA("entra"),
    GOOGLE("google");

    private final String key;

    ProviderType(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<ProviderType> fromKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst();
    }

    public static String keys() {
        return Arrays.stream(values()).map(ProviderType::key).collect(Collectors.joining(", "));
    }
}
