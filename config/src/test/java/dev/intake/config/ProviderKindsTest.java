package dev.intake.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderKindsTest {

    @Test
    void kindsOnTheClassPathAreFoundAndListedByType() {
        ProviderKinds kinds = ProviderKinds.installed();

        assertThat(kinds.types()).containsExactly("entra", "google");
        assertThat(kinds.displayName("google")).isEqualTo("Test Google");
        assertThat(kinds.displayName("okta")).as("no module knows it").isEqualTo("okta");
        assertThat(kinds.typesWithKey("tenant")).containsExactly("entra");
    }

    @Test
    void twoModulesForOneTypeAreAPackagingMistake() {
        assertThatThrownBy(() -> new ProviderKinds(List.of(new TestProviderKinds.Entra(), new TestProviderKinds.Entra())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two provider modules for type 'entra'");
    }
}
