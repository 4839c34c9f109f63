package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.SimulatorOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory from PEM files, with the JDK alone (no Bouncy Castle). */
final class TlsSockets {

    private static final char[] IN_MEMORY_STORE_PASSWORD = new char[0];

    private TlsSockets() {
    }

    /**
     * @throws IllegalArgumentException naming the file that could not be used and why
     */
    static SSLSocketFactory factory(SimulatorOptions opts) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (opts.caFile().isPresent()) {
                KeyStore trust = emptyStore();
                int i = 0;
                for (Certificate ca : certificates(opts.caFile().get())) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null);
            }
            KeyManagerFactory kmf = null;
            if (opts.clientCertFile().isPresent()) {
                KeyStore keys = emptyStore();
                List<Certificate> chain = List.copyOf(certificates(opts.clientCertFile().get()));
                keys.setKeyEntry("client", privateKey(opts.clientKeyFile().orElseThrow()), IN_MEMORY_STORE_PASSWORD,
                        chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, IN_MEMORY_STORE_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        return store;
    }

    private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException(pem + " holds no PEM certificate");
            }
            return certs;
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IOException(pem + " is not an unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in " + pem + "'");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException wrongAlgorithm) {
                // try the next algorithm: PKCS#8 names it only inside the structure
            }
        }
        throw new IOException(pem + " holds a key that is neither RSA, EC nor Ed25519");
    }
}
