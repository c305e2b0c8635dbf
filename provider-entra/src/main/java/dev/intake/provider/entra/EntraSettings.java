package dev.intake.provider.entra;

import dev.intake.config.ProviderSettings;
import dev.intake.config.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of an Entra provider besides those every provider has.
 *
 * @param tenant         {@code tenant}: the tenant ID or domain of the app registration
 * @param authority      {@code authority}: the authority base, https and ending in {@code /}; the tenant is appended
 * @param certificate    {@code client-certificate}: the PEM certificate Intake signs its client assertions for, with
 *                       the private key in the same text unless {@code client-certificate-key} holds it; used in
 *                       place of the client secret when set
 * @param certificateKey {@code client-certificate-key}: the PEM (PKCS#8) private key of that certificate
 * @param certificatePassword {@code client-certificate-password}: the password of a PKCS#12 certificate
 */
public record EntraSettings(String tenant, URI authority, Optional<Secret> certificate, Optional<Secret> certificateKey,
        Optional<Secret> certificatePassword) implements ProviderSettings {

    /** {@code authority}'s default: Microsoft's global cloud. */
    public static final URI DEFAULT_AUTHORITY = URI.create("https://login.microsoftonline.com/");

    public EntraSettings {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateKey, "certificateKey");
        Objects.requireNonNull(certificatePassword, "certificatePassword");
    }

    /** A PEM certificate, or none. */
    public EntraSettings(String tenant, URI authority, Optional<Secret> certificate, Optional<Secret> certificateKey) {
        this(tenant, authority, certificate, certificateKey, Optional.empty());
    }

    /** Without a certificate: the client secret is the credential. */
    public EntraSettings(String tenant, URI authority) {
        this(tenant, authority, Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public List<Fact> summary() {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("tenant", tenant), new Fact("authority", authority.toString())));
        certificate().ifPresent(c -> facts.add(new Fact("client certificate", certificateFact())));
        return facts;
    }

    @Override
    public List<Fact> registration() {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("Tenant", tenant)));
        certificate().ifPresent(c -> facts.add(new Fact("Certificate", certificateFact())));
        return facts;
    }

    /** The configured certificate and its key; {@code prefix} names the keys in messages (e.g. providers.entra.). */
    ClientCertificate clientCertificate(String prefix) {
        return ClientCertificate.read(certificate.orElseThrow(), certificateKey, certificatePassword,
                prefix, prefix + "-key", prefix + "-password");
    }

    /** The certificate as the app registration lists it: thumbprint and expiry; never the key. */
    private String certificateFact() {
        try {
            ClientCertificate c = clientCertificate("client-certificate");
            return "thumbprint " + c.thumbprint() + ", expires " + c.notAfter();
        } catch (IllegalArgumentException e) {
            return "unreadable";
        }
    }
}
