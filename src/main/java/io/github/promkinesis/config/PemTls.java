package io.github.promkinesis.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * TLS from PEM files, as operators have them (cert-manager, Let's Encrypt, openssl): a certificate chain and an
 * unencrypted PKCS#8 private key (RSA or EC), turned into an in-memory key store, for the listener or for a
 * client certificate; CA certificates to trust.
 */
public final class PemTls {

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    public static SSLContextParameters serverParameters(Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException {
        String password = randomPassword();
        KeyStoreParameters storeParameters = new KeyStoreParameters();
        storeParameters.setKeyStore(keyStore(certificateFile, keyFile, password));
        storeParameters.setPassword(password);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(storeParameters);
        keyManagers.setKeyPassword(password);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        return parameters;
    }

    /**
     * TLS with the CA certificates to trust instead of the JVM's (null: the JVM's), and a certificate with its key
     * to present (null: none); a client's, or a server's that checks client certificates.
     */
    public static SSLContext context(Path caFile, Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException {
        TrustManager[] trust = null;
        if (caFile != null) {
            KeyStore authorities = KeyStore.getInstance("PKCS12");
            authorities.load(null, null);
            int i = 0;
            for (Certificate ca : certificates(caFile)) {
                authorities.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustFactory.init(authorities);
            trust = trustFactory.getTrustManagers();
        }
        KeyManager[] keys = null;
        if (certificateFile != null) {
            String password = randomPassword();
            KeyManagerFactory keyFactory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyFactory.init(keyStore(certificateFile, keyFile, password), password.toCharArray());
            keys = keyFactory.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        return context;
    }

    private static KeyStore keyStore(Path certificateFile, Path keyFile, String password)
            throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain = certificates(certificateFile);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", privateKey(keyFile), password.toCharArray(), chain.toArray(new Certificate[0]));
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + file);
        }
        return certificates;
    }

    /** The stores live in memory only; their password protects nothing on disk. */
    private static String randomPassword() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static PrivateKey privateKey(Path keyFile) throws IOException, GeneralSecurityException {
        Matcher pem = PRIVATE_KEY.matcher(Files.readString(keyFile, StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new GeneralSecurityException(keyFile + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY);"
                    + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new GeneralSecurityException(keyFile + " holds a key that is neither RSA, EC nor Ed25519");
    }
}
