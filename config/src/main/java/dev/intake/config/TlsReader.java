package dev.intake.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code tls}: an extra trust store for a private CA. The store is opened here, with its password, so
 * a wrong path, a wrong password or an empty store is reported at load time rather than at the first
 * connection an hour later.
 */
final class TlsReader {

    static final List<String> KEYS = List.of("truststore", "truststore-password");
    private static final int MAX_TRUSTSTORE_BYTES = 10 * 1024 * 1024;

    private TlsReader() {
    }

    static TlsConfig read(Section top) {
        Section s = top.section("tls", KEYS, "truststore, truststore-password");
        Optional<Secret> password = s.secret("truststore-password");
        Optional<String> written = s.optionalString("truststore");
        if (written.isEmpty()) {
            if (password.isPresent()) {
                s.problems().add(s.path("truststore-password"), "is set but tls.truststore is not; add tls.truststore or"
                        + " remove the password", s.line("truststore-password"));
            }
            return TlsConfig.systemDefault();
        }
        Path file = s.context().baseDir().resolve(written.get()).toAbsolutePath().normalize();
        String at = s.path("truststore");
        int line = s.line("truststore");
        SourceFiles.Content content = s.context().sources().read(file, MAX_TRUSTSTORE_BYTES);
        switch (content.state()) {
            case MISSING -> s.problems().add(at, "file " + file + " does not exist (relative paths start at the config"
                    + " file's directory, " + s.context().baseDir() + "); fix the path or create the trust store with"
                    + " keytool -importcert", line);
            case DIRECTORY -> s.problems().add(at, file + " is a directory; name the trust store file", line);
            case NOT_A_FILE -> s.problems().add(at, file + " is not a regular file (a device or a pipe); name the trust "
                    + "store file", line);
            case TOO_LARGE -> s.problems().add(at, "file " + file + " is larger than 10 MB; it is not a trust store", line);
            case UNREADABLE -> s.problems().add(at, "file " + file + " cannot be read; check that Intake's user may read"
                    + " it", line);
            case READ -> checkStore(content.bytes(), password, s, at, line, file);
        }
        return new TlsConfig(Optional.of(file), password,
                content.state() == SourceFiles.State.READ ? SourceFiles.sha256Of(content.bytes()) : "");
    }

    private static void checkStore(byte[] bytes, Optional<Secret> password, Section s, String at, int line, Path file) {
        char[] pw = password.map(p -> p.reveal().toCharArray()).orElse(null);
        KeyStore store = null;
        for (String type : List.of("PKCS12", "JKS")) {
            try {
                KeyStore candidate = KeyStore.getInstance(type);
                candidate.load(new ByteArrayInputStream(bytes), pw);
                store = candidate;
                break;
            } catch (IOException | GeneralSecurityException e) {
                // try the next format; the problem below says what to check
            }
        }
        if (store == null) {
            s.problems().add(at, file + " cannot be opened as a PKCS12 or JKS trust store"
                    + (password.isPresent() ? " with tls.truststore-password; check the password and the file"
                            : "; if it has a password, set tls.truststore-password"), line);
            return;
        }
        KeyStore opened = store;
        try {
            boolean hasCertificate = Collections.list(opened.aliases()).stream().anyMatch(alias -> isCertificate(opened, alias));
            if (!hasCertificate) {
                s.problems().add(at, file + " holds no certificate" + (password.isEmpty()
                        ? " that can be read without a password; set tls.truststore-password"
                        : "; import your CA: keytool -importcert -file ca.crt -alias ca -keystore " + file), line);
            }
        } catch (GeneralSecurityException e) {
            s.problems().add(at, file + " cannot be listed (" + e.getClass().getSimpleName() + ")", line);
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias) || store.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
