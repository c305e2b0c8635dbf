package dev.intake.provider.entra;

import dev.intake.config.ProviderKind;
import dev.intake.config.ProviderSection;
import dev.intake.config.ProviderSettings;
import java.net.URI;
import java.util.List;
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
        return List.of("tenant", "authority");
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
        return new EntraSettings(tenant, authority);
    }
}
