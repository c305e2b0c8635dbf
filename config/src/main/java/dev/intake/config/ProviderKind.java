package dev.intake.config;

import java.util.List;

/**
 * A kind of identity provider as {@code collector.yaml} sees it: its {@code type}, the keys it adds to
 * {@code providers.NAME}, and how they are read. Each provider module registers one in
 * {@code META-INF/services/dev.intake.config.ProviderKind}; this module finds them with {@link java.util.ServiceLoader}
 * and names no provider, so a new provider, or a new key of one, changes that provider's module only.
 *
 * <p>The keys every provider has ({@code type}, {@code client-id}, the client secrets, {@code imap-*}) and the rules
 * of the file (references, secrets that never print, problems with their path and line) stay here.
 */
public interface ProviderKind {

    /** What {@code type} says, lower-case, e.g. {@code entra}; a provider with this name needs no {@code type}. */
    String type();

    /** The kind's name for people, e.g. {@code Microsoft Entra}. */
    String displayName();

    /** The keys this kind adds to those every provider has, in the order the README lists them. */
    List<String> keys();

    /**
     * Reads this kind's keys, recording each problem in the section and returning a stand-in; a configuration with
     * problems is thrown away, so the stand-in is never used.
     */
    ProviderSettings read(ProviderSection section);
}
