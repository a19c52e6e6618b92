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
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * TLS for the listener from PEM files, as operators have them (cert-manager, Let's Encrypt, openssl):
 * a certificate chain and an unencrypted PKCS#8 private key (RSA or EC), turned into an in-memory key store.
 */
final class PemTls {

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    static SSLContextParameters serverParameters(Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificateFile)));
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no certificate in " + certificateFile);
        }
        PrivateKey key = privateKey(keyFile);
        // the store lives in memory only; its password protects nothing on disk
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password.toCharArray(), chain.toArray(new Certificate[0]));

        KeyStoreParameters storeParameters = new KeyStoreParameters();
        storeParameters.setKeyStore(store);
        storeParameters.setPassword(password);
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(storeParameters);
        keyManagers.setKeyPassword(password);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        return parameters;
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
