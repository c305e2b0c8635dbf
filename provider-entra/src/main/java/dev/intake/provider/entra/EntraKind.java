package dev.intake.provider.entra;

import dev.intake.config.AuthMode;
import dev.intake.config.ProviderKind;
import dev.intake.config.ProviderSection;
import dev.intake.config.ProviderSettings;
import dev.intake.config.Secret;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the keys of providers of type {@code entra} from {@code collector.yaml}; found through ServiceLoader. */
public final class EntraKind implements ProviderKind {

    /** A tenant GUID or a domain: it becomes a path segment of the authority URL. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]+");

    @Override
    public String type() {
        return EntraIdentityProvider.TYPE;
    }

    @Override
    public String displayName() {
        return "Microsoft Entra";
    }

    @Override
    public List<String> keys() {
        return List.of("tenant", "authority", "client-certificate", "client-certificate-key", "client-certificate-password");
    }

    @Override
    public ProviderSettings read(ProviderSection section) {
        String tenant = section.requiredString("tenant", "an Entra provider needs the tenant ID or domain,"
                + " e.g. tenant: contoso.onmicrosoft.com");
        if (!tenant.isEmpty() && !TENANT.matcher(tenant).matches()) {
            section.problem("tenant", "'" + tenant + "' is not a tenant ID or domain; write e.g. contoso.onmicrosoft.com");
        }
        // msal4j refuses anything but https for an authority
        URI authority = section.baseUrl("authority", Set.of("https"), EntraSettings.DEFAULT_AUTHORITY.toString())
                .orElse(EntraSettings.DEFAULT_AUTHORITY);
        Optional<Secret> certificate = section.optionalSecret("client-certificate");
        Optional<Secret> key = section.optionalSecret("client-certificate-key");
        Optional<Secret> password = section.optionalSecret("client-certificate-password");
        if (certificate.isPresent()) {
            try {
                ClientCertificate.read(certificate.get(), key, password, "client-certificate", "client-certificate-key",
                        "client-certificate-password");
            } catch (IllegalArgumentException e) {
                section.problem(key.isPresent() && e.getMessage().startsWith("client-certificate-key")
                        ? "client-certificate-key" : "client-certificate", e.getMessage());
            }
        } else if (key.isPresent()) {
            section.problem("client-certificate-key", "is set without client-certificate; give the certificate too,"
                    + " e.g. client-certificate: ${file:intake-entra.pem}");
        } else if (section.auth() == AuthMode.APP && !section.has("client-secret")) {
            section.problem("client-certificate", "missing; app-only access proves itself with a certificate (preferred)"
                    + " or the client secret: write client-certificate: ${file:intake-entra.pem} (with its key), or set"
                    + " client-secret");
        }
        if (password.isPresent() && certificate.isEmpty()) {
            section.problem("client-certificate-password", "is set without client-certificate; it is the password of a"
                    + " PKCS#12 certificate there");
        }
        return new EntraSettings(tenant, authority, certificate, key, password);
    }
}
