package dev.intake.app.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload keeps a target whose configuration is unchanged and replaces (and closes) one whose secret changed. */
class DeliveryTargetsTest {

    final List<RecordingTarget> built = new ArrayList<>();
    final DeliveryTargets targets = new DeliveryTargets(c -> {
        if (c.name().equals("broken")) {
            throw new IllegalStateException("delivery.targets.broken: GLPI's URL does not answer as GLPI");
        }
        RecordingTarget t = new RecordingTarget(c, EnumSet.of(ItemKind.TICKET));
        built.add(t);
        return t;
    });

    static DeliveryConfig config(DeliveryTargetConfig... targets) {
        return new DeliveryConfig(List.of(targets), 5, Duration.ofSeconds(30), Duration.ofMinutes(10),
                Duration.ofHours(1));
    }

    @Test
    void aReloadReplacesTheTargetWhoseSecretChangedAndKeepsTheOther() {
        targets.apply(config(OutboxBed.helpdesk("glpi"), OutboxBed.webhook("hook", "whsec_one")));
        DeliveryTarget glpi = targets.target("glpi").orElseThrow();
        DeliveryTarget hook = targets.target("hook").orElseThrow();

        targets.apply(config(OutboxBed.helpdesk("glpi"), OutboxBed.webhook("hook", "whsec_two")));

        assertThat(targets.target("glpi")).containsSame(glpi);
        assertThat(targets.target("hook").orElseThrow()).isNotSameAs(hook);
        assertThat(((RecordingTarget) targets.target("hook").orElseThrow()).config())
                .isEqualTo(OutboxBed.webhook("hook", "whsec_two"));
        assertThat(((RecordingTarget) hook).closed).isTrue();
        assertThat(((RecordingTarget) glpi).closed).isFalse();
        assertThat(built).hasSize(3);

        targets.apply(config(OutboxBed.webhook("hook", "whsec_two")));
        assertThat(((RecordingTarget) glpi).closed).as("a removed target is closed").isTrue();
        assertThat(targets.target("glpi")).isEmpty();
        targets.close();
        assertThat(built.get(2).closed).isTrue();
    }

    @Test
    void aRebuildBuildsEveryTargetAgainAndClosesTheOldOnes() {
        // What a replaced tls.truststore does: the configuration of the targets is the same, their trust is not.
        targets.apply(config(OutboxBed.helpdesk("glpi"), OutboxBed.webhook("hook", "whsec_one")));
        DeliveryTarget glpi = targets.target("glpi").orElseThrow();
        DeliveryTarget hook = targets.target("hook").orElseThrow();

        targets.rebuild(config(OutboxBed.helpdesk("glpi"), OutboxBed.webhook("hook", "whsec_one")));

        assertThat(targets.target("glpi").orElseThrow()).isNotSameAs(glpi);
        assertThat(targets.target("hook").orElseThrow()).isNotSameAs(hook);
        assertThat(((RecordingTarget) glpi).closed).isTrue();
        assertThat(((RecordingTarget) hook).closed).isTrue();
        assertThat(built).hasSize(4);
    }

    @Test
    void aTargetThatCannotBeBuiltSaysWhyAndItsItemsWait() {
        DeliveryTargetConfig broken = OutboxBed.helpdesk("broken");
        targets.apply(config(broken));

        assertThat(targets.target("broken")).isEmpty();
        assertThat(targets.problem("broken")).contains("delivery.targets.broken: GLPI's URL does not answer as GLPI");
        assertThat(targets.accepts(broken, ItemKind.TICKET)).as("its items are written, to wait").isTrue();
        assertThat(targets.accepts(broken, ItemKind.MESSAGE_REFUSED)).isFalse();
    }
}
