/**
 * What every identity provider must do, as a test: {@link dev.intake.testing.provider.IdentityProviderContract}, run by
 * each provider module against its fake server through its {@link dev.intake.testing.provider.ProviderTestBed}.
 */
package dev.intake.testing.provider;
