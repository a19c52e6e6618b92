package io.github.promkinesis.restore;

import io.github.promkinesis.config.PemTls;
import io.github.promkinesis.config.RestoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * How the restore reaches its receiver, from its checked settings ({@link RestoreSettings}): the Authorization
 * header of basic or bearer credentials, and TLS, a CA to trust and a client certificate. Certificates or a key
 * that cannot be used are an {@link IllegalArgumentException} naming the settings.
 */
record ReceiverAccess(String authorization, SSLContext tls) {

    static ReceiverAccess from(RestoreSettings settings) {
        String authorization = null;
        if (!settings.bearerToken.isEmpty()) {
            authorization = "Bearer " + settings.bearerToken;
        } else if (!settings.basicUsername.isEmpty()) {
            authorization = "Basic " + Base64.getEncoder().encodeToString((settings.basicUsername + ":"
                    + settings.basicPassword).getBytes(StandardCharsets.UTF_8));
        }
        if (settings.tlsCaFile == null && settings.tlsCertFile == null) {
            return new ReceiverAccess(authorization, null);
        }
        try {
            return new ReceiverAccess(authorization, PemTls.context(settings.tlsCaFile, settings.tlsCertFile,
                    settings.tlsKeyFile));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("RESTORE_TLS_*: " + e.getMessage());
        }
    }
}
