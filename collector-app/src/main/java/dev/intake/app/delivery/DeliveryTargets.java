package dev.intake.app.delivery;

import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.WebhookTargetConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured targets, built once and rebuilt only when their configuration changes: on every reload a target
 * whose configuration record is equal is kept (with its cached token or session), and a changed one (a rotated
 * secret, a new URL) is replaced and closed, so the change applies with no restart.
 */
public final class DeliveryTargets implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryTargets.class);

    /** A configured target: built, or the reason it could not be. */
    private record Entry(DeliveryTargetConfig config, Optional<DeliveryTarget> target, Optional<String> problem) {
    }

    private final DeliveryTargetFactory factory;
    private Map<String, Entry> entries = Map.of();

    public DeliveryTargets(DeliveryTargetFactory factory) {
        this.factory = factory;
    }

    /** Makes the built targets match {@code config}: keeps the unchanged, builds the new and changed, closes the rest. */
    public void apply(DeliveryConfig config) {
        apply(config, false);
    }

    /**
     * Builds every target of {@code config} anew, changed or not: for a change they are built with, not configured
     * with (a replaced {@code tls.truststore}: a target's HTTP client keeps the trust it was built with).
     */
    public void rebuild(DeliveryConfig config) {
        apply(config, true);
    }

    private void apply(DeliveryConfig config, boolean all) {
        List<DeliveryTarget> retired = new java.util.ArrayList<>();
        synchronized (this) {
            Map<String, Entry> next = new LinkedHashMap<>();
            for (DeliveryTargetConfig c : config.targets()) {
                Entry old = entries.get(c.name());
                if (!all && old != null && old.config().equals(c) && old.target().isPresent()) {
                    next.put(c.name(), old);
                    continue;
                }
                next.put(c.name(), build(c));
            }
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry kept = next.get(e.getKey());
                if (e.getValue().target().isPresent() && (kept == null || !kept.equals(e.getValue()))) {
                    retired.add(e.getValue().target().get());
                }
            }
            entries = next;
        }
        // Closed after the swap: a send in progress on a retired target finishes or fails (and is retried) on its own.
        for (DeliveryTarget t : retired) {
            closeQuietly(t);
        }
    }

    private Entry build(DeliveryTargetConfig c) {
        try {
            DeliveryTarget target = factory.build(c);
            log.info("Delivery target '{}' ready", c.name());
            return new Entry(c, Optional.of(target), Optional.empty());
        } catch (RuntimeException e) {
            log.warn("Delivery target '{}' cannot be used: {}", c.name(), e.getMessage());
            return new Entry(c, Optional.empty(), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    /** The built target of this name; empty when there is no such target or it could not be built. */
    public synchronized Optional<DeliveryTarget> target(String name) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : e.target();
    }

    /** Why the target of this name could not be built, when it could not. */
    public synchronized Optional<String> problem(String name) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : e.problem();
    }

    /**
     * Whether the target takes items of this kind. A target that could not be built is asked nothing: it is assumed
     * to take what its type takes (a helpdesk: tickets, followups and attachments; a webhook: every event), so that
     * its items wait for its configuration to be fixed instead of being lost.
     */
    public boolean accepts(DeliveryTargetConfig config, ItemKind kind) {
        Optional<DeliveryTarget> target = target(config.name());
        if (target.isPresent()) {
            return target.get().accepts(kind);
        }
        return notifies(config) ? kind != ItemKind.ATTACHMENT
                : kind == ItemKind.TICKET || kind == ItemKind.FOLLOWUP || kind == ItemKind.ATTACHMENT;
    }

    /** Whether the target is sent event notifications (a webhook) rather than tickets, followups and documents. */
    public static boolean notifies(DeliveryTargetConfig config) {
        return config instanceof WebhookTargetConfig;
    }

    @Override
    public void close() {
        Map<String, Entry> all;
        synchronized (this) {
            all = entries;
            entries = Map.of();
        }
        all.values().forEach(e -> e.target().ifPresent(DeliveryTargets::closeQuietly));
    }

    private static void closeQuietly(DeliveryTarget target) {
        try {
            target.close();
        } catch (RuntimeException e) {
            log.debug("Closing delivery target '{}': {}", target.name(), e.getMessage());
        }
    }
}
