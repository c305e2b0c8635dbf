package dev.intake.app.status;

import dev.intake.app.oauth.ProviderRegistry;
import dev.intake.config.IntakeConfig;
import dev.intake.config.ProviderConfig;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider-level health for operators: which client secret works, and how long until it expires. Entra secrets last
 * at most 24 months; from {@link #WARN_DAYS} days before {@code client-secret-expires} Intake warns on the status page,
 * in the metrics, and once a day in the log.
 */
public final class ProviderStatuses {

    public static final long WARN_DAYS = 30;

    private static final Logger log = LoggerFactory.getLogger(ProviderStatuses.class);

    private final Supplier<IntakeConfig> config;
    private final ProviderRegistry providers;
    private final Clock clock;
    private final Map<String, LocalDate> lastWarned = new ConcurrentHashMap<>();

    public ProviderStatuses(Supplier<IntakeConfig> config, ProviderRegistry providers, Clock clock) {
        this.config = config;
        this.providers = providers;
        this.clock = clock;
    }

    public List<ProviderStatus> all() {
        IntakeConfig cfg = config.get();
        List<ProviderStatus> result = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (ProviderConfig p : cfg.providers().values()) {
            Optional<String> inUse = providers.secretInUse(p.name()).map(s -> s == ProviderRegistry.SecretInUse.NEXT
                    ? "client-secret-next" : "client-secret");
            Optional<Long> daysLeft = p.clientSecretExpires().map(d -> ChronoUnit.DAYS.between(today, d));
            result.add(new ProviderStatus(p.name(), p.type(), p.clientId(), cfg.server().redirectUri(),
                    p.clientSecretNext().isPresent(), inUse, p.clientSecretExpires(), daysLeft, warning(p, inUse, daysLeft)));
        }
        return result;
    }

    private static Optional<String> warning(ProviderConfig p, Optional<String> inUse, Optional<Long> daysLeft) {
        if (inUse.equals(Optional.of("client-secret-next"))) {
            return Optional.of("The provider refused providers." + p.name() + ".client-secret but accepts client-secret-next: "
                    + "promote it (set client-secret to the new value, remove client-secret-next).");
        }
        if (daysLeft.isPresent() && daysLeft.get() < 0) {
            return Optional.of("The client secret of provider '" + p.name() + "' expired " + (-daysLeft.get())
                    + " day(s) ago (providers." + p.name() + ".client-secret-expires). Create a new secret at the provider and "
                    + "set it in client-secret (or client-secret-next during the overlap).");
        }
        if (daysLeft.isPresent() && daysLeft.get() <= WARN_DAYS) {
            return Optional.of("The client secret of provider '" + p.name() + "' expires in " + daysLeft.get() + " day(s) ("
                    + p.clientSecretExpires().orElseThrow() + "). Create a new secret at the provider now, put it in "
                    + "client-secret-next, then promote it.");
        }
        return Optional.empty();
    }

    /** Logs each provider's warning at most once a day (called on a timer and at start). */
    public void logWarnings() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        for (ProviderStatus s : all()) {
            if (s.warning().isPresent() && !today.equals(lastWarned.get(s.name()))) {
                lastWarned.put(s.name(), today);
                log.warn(s.warning().get());
            }
        }
    }
}
