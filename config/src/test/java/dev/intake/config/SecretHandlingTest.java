package dev.intake.config;

import static dev.intake.config.ConfigTestBed.key32;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret values never show: not in toString, not in problems. */
class SecretHandlingTest {

    @TempDir
    Path dir;

    @Test
    void secretToStringNeverShowsTheValue() {
        Secret secret = Secret.of("hunter2");

        assertThat(secret).hasToString("******");
        assertThat(String.valueOf(secret)).doesNotContain("hunter2");
        assertThat(secret.reveal()).isEqualTo("hunter2");
        assertThat(secret).isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.of("hunter3"));
    }

    @Test
    void loadedConfigToStringShowsNoSecret() throws Exception {
        ConfigTestBed fx = new ConfigTestBed(dir);
        IntakeConfig config = fx.load("""
                database:
                  password: db-password-value
                encryption:
                  active-key: k1
                  keys:
                    k1: %s
                providers:
                  google:
                    client-id: g
                    client-secret: google-secret-value
                    client-secret-next: google-next-value
                """.formatted(key32(1)));

        assertThat(config.toString()).doesNotContain("db-password-value", "google-secret-value", "google-next-value",
                key32(1));
    }

    @Test
    void problemsAboutSecretsNeverContainTheirValues() throws Exception {
        ConfigTestBed fx = new ConfigTestBed(dir);
        fx.env.put("KEY", "env-key-value-not-base64");
        fx.write("hash", "file-hash-value\n");
        ConfigException e = fx.failure("""
                server:
                  port: ${env:KEY}
                encryption:
                  active-key: k1
                  keys:
                    k1: ${env:KEY}
                    k2: literal-key-value
                providers:
                  google:
                    client-id: [list-of-secret-value]
                    client-secret: {nested: secret-in-a-map}
                admins:
                  - username: a
                    password-hash: ${file:hash}
                  - username: b
                    password-hash: literal-hash-value
                """);

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(e.getMessage()).doesNotContain("env-key-value-not-base64", "literal-key-value", "file-hash-value",
                "literal-hash-value", "secret-in-a-map", "list-of-secret-value");
    }
}
