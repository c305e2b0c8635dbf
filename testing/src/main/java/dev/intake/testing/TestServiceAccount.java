package dev.intake.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A Google Cloud service account as the fake Google server knows it: its address, numeric client ID and RSA key
 * pair, and the JSON key file an admin downloads for it (the private key inside; the public key stays with the
 * server, which checks the JWTs signed with it).
 */
public final class TestServiceAccount {

    private final String email;
    private final String clientId;
    private final String keyId = UUID.randomUUID().toString().replace("-", "");
    private final KeyPair keys;

    TestServiceAccount(String email, String clientId) {
        this.email = email;
        this.clientId = clientId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    public String email() {
        return email;
    }

    /** The numeric client ID a Workspace admin enters under Domain-wide delegation. */
    public String clientId() {
        return clientId;
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) keys.getPublic();
    }

    String keyId() {
        return keyId;
    }

    /** The JSON key file, as Google Cloud's console downloads it, naming {@code tokenUri} as its token URI. */
    public String jsonKey(java.net.URI tokenUri) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "service_account");
        json.put("project_id", "intake-test");
        json.put("private_key_id", keyId);
        json.put("private_key", TestClientCertificate.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        json.put("client_email", email);
        json.put("client_id", clientId);
        json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        json.put("token_uri", tokenUri.toString());
        json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
        json.put("universe_domain", "googleapis.com");
        return new String(JwtSigner.json(json), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TestServiceAccount[" + email + "]";
    }
}
