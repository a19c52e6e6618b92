package io.github.promkinesis.tools;

import io.github.promkinesis.config.InvalidSettingException;
import io.github.promkinesis.config.Setting;
import io.github.promkinesis.config.SettingValues;
import io.github.promkinesis.config.SettingsSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The container's HEALTHCHECK: exits 0 when the adapter on this host answers its health endpoint with 200.
 * Reads HTTP_PORT and TLS_CERT_FILE the way the adapter reads its settings.
 * Needs no curl in the image. It asks 127.0.0.1 only, so over HTTPS it accepts the adapter's own certificate,
 * whatever name it carries.
 *
 * <pre>java -cp prometheus-remote-kinesis.jar io.github.promkinesis.tools.HealthProbe [PATH]</pre>
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    public static void main(String[] args) throws Exception {
        SettingValues settings;
        try {
            settings = SettingValues.read(SettingsSource.standard(), Setting.Reader.HEALTH_PROBE);
        } catch (InvalidSettingException e) {
            System.err.println("health probe: " + e.getMessage());
            System.exit(1);
            return;
        }
        long port = settings.whole(Setting.HTTP_PORT);
        String scheme = settings.isEmpty(Setting.TLS_CERT_FILE) ? "http" : "https";
        String path = args.length > 0 ? args[0] : "/observe/health";
        HttpClient client = HttpClient.newBuilder().sslContext(trustingOwnCertificate())
                .connectTimeout(Duration.ofSeconds(3)).build();
        try {
            int status = client.send(HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            System.exit(status == 200 ? 0 : 1);
        } catch (IOException e) {
            System.err.println("health probe failed: " + e);
            System.exit(1);
        }
    }

    private static SSLContext trustingOwnCertificate() throws Exception {
        TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {any}, new SecureRandom());
        return tls;
    }
}
