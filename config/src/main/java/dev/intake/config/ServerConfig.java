package dev.intake.config;

import java.net.URI;

/** Where Intake's HTTP server listens, and the URL browsers and providers reach it by. */
public record ServerConfig(String bind, int port, URI publicUrl) {

    /** The redirect URI to register at Entra and Google. */
    public URI redirectUri() {
        String base = publicUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/oauth/callback");
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(publicUrl.getScheme());
    }
}
