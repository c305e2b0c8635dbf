package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.Secret;
import org.junit.jupiter.api.Test;

class PasswordsTest {

    private final Passwords passwords = new Passwords(4);

    @Test
    void aHashMatchesItsPasswordOnlyAndHasTheFormatTheConfigurationTakes() {
        Secret hash = passwords.hash(Secret.of("a long enough password"));

        assertThat(hash.reveal()).matches("\\$2[aby]\\$04\\$[./A-Za-z0-9]{53}");
        assertThat(passwords.matches(Secret.of("a long enough password"), hash)).isTrue();
        assertThat(passwords.matches(Secret.of("a long enough passworD"), hash)).isFalse();
        assertThat(passwords.hash(Secret.of("a long enough password"))).as("salted").isNotEqualTo(hash);
        assertThat(hash.toString()).isEqualTo("******");
    }

    @Test
    void productionHashesUseCostTwelve() {
        assertThat(new Passwords().hash(Secret.of("a long enough password")).reveal()).startsWith("$2a$12$");
    }

    @Test
    void hashesInTheTwoYAndTwoBSpellingsOfOtherToolsAreRead() {
        // htpasswd and PHP write $2y$, OpenBSD $2b$: the same algorithm under another prefix.
        String hash = passwords.hash(Secret.of("correct horse battery staple")).reveal();
        for (String prefix : new String[] {"$2y$", "$2b$"}) {
            Secret other = Secret.of(prefix + hash.substring(4));
            assertThat(passwords.matches(Secret.of("correct horse battery staple"), other)).as(prefix).isTrue();
            assertThat(passwords.matches(Secret.of("correct horse battery stable"), other)).as(prefix).isFalse();
        }
    }

    @Test
    void unusablePasswordsAreRefusedWithTheReason() {
        assertThat(Passwords.problem(Secret.of("short"))).get().asString().contains("at least 12 characters");
        assertThat(Passwords.problem(Secret.of("é".repeat(40)))).get().asString().contains("72 bytes");
        assertThat(Passwords.problem(Secret.of(" leading space here"))).get().asString().contains("space");
        assertThat(Passwords.problem(Secret.of("twelve chars"))).isEmpty();
        assertThatThrownBy(() -> passwords.hash(Secret.of("short")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("short\"");
    }

    @Test
    void aMalformedHashOrAnOverlongPasswordNeverMatchesAndNeverThrows() {
        Secret hash = passwords.hash(Secret.of("a long enough password"));

        assertThat(passwords.matches(Secret.of("a long enough password"), Secret.of("not a hash"))).isFalse();
        assertThat(passwords.matches(Secret.of("x".repeat(100)), hash)).isFalse();
        passwords.spendDecoyCheck(Secret.of("x".repeat(100)));
    }

    @Test
    void randomPasswordsAreLongAndDifferent() {
        Secret a = Passwords.randomPassword();
        Secret b = Passwords.randomPassword();

        assertThat(a.reveal()).hasSize(24).matches("[A-Za-z0-9_-]+");
        assertThat(a).isNotEqualTo(b);
        assertThat(Passwords.problem(a)).isEmpty();
    }
}
