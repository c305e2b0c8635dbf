package dev.intake.config;

/** Told about every new configuration snapshot that {@link ReloadingConfig} publishes. */
@FunctionalInterface
public interface ConfigListener {

    /**
     * Called on the reload thread, one listener after the other. {@code previous} may equal {@code next} when only
     * a file whose content the snapshot does not hold changed (a new certificate in {@code tls.truststore}).
     */
    void changed(IntakeConfig previous, IntakeConfig next);
}
