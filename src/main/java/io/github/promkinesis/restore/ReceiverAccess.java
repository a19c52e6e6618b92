package io.github.promkinesis.restore;

import io.github.promkinesis.config.PemTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * How the restore reaches its receiver, from the environment (never the command line, which other users of the
 * machine can read): basic or bearer credentials, each given as a value or as a file (a mounted Kubernetes
 * Secret), and TLS, a CA to trust and a client certificate. A setting that cannot be used is an
 * {@link IllegalArgumentException} naming it.
 */
record ReceiverAccess(String authorization, SSLContext tls) {

    static ReceiverAccess from(Map<String, String> environment) {
        String username = environment.get("RESTORE_AUTH_BASIC_USERNAME");
        String password = secret(environment, "RESTORE_AUTH_BASIC_PASSWORD");
        String token = secret(environment, "RESTORE_AUTH_BEARER_TOKEN");
        String authorization = null;
        if (token != null && username != null) {
            throw new IllegalArgumentException("RESTORE_AUTH_BASIC_USERNAME and RESTORE_AUTH_BEARER_TOKEN: set one");
        } else if (token != null) {
            authorization = "Bearer " + token;
        } else if (username != null) {
            authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + (password == null ? ""
                    : password)).getBytes(StandardCharsets.UTF_8));
        } else if (password != null) {
            throw new IllegalArgumentException("RESTORE_AUTH_BASIC_PASSWORD needs RESTORE_AUTH_BASIC_USERNAME");
        }
        Path ca = file(environment, "RESTORE_TLS_CA_FILE");
        Path certificate = file(environment, "RESTORE_TLS_CERT_FILE");
        Path key = file(environment, "RESTORE_TLS_KEY_FILE");
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("RESTORE_TLS_CERT_FILE and RESTORE_TLS_KEY_FILE go together");
        }
        if (ca == null && certificate == null) {
            return new ReceiverAccess(authorization, null);
        }
        try {
            return new ReceiverAccess(authorization, PemTls.context(ca, certificate, key));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("RESTORE_TLS_*: " + e.getMessage());
        }
    }

    /** NAME's value, or the content of the file NAME_FILE names (without its last line end); null when neither. */
    private static String secret(Map<String, String> environment, String name) {
        String value = empty(environment.get(name));
        Path file = file(environment, name + "_FILE");
        if (value != null && file != null) {
            throw new IllegalArgumentException(name + " and " + name + "_FILE: set one");
        }
        if (file == null) {
            return value;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
        } catch (IOException e) {
            throw new IllegalArgumentException(name + "_FILE " + file + ": cannot read it (" + e + ")");
        }
    }

    private static Path file(Map<String, String> environment, String name) {
        String value = empty(environment.get(name));
        if (value == null) {
            return null;
        }
        Path file = Path.of(value);
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(name + " " + value + ": no readable file there");
        }
        return file;
    }

    private static String empty(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
