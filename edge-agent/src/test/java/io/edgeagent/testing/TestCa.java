package io.edgeagent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for TLS tests, made with the JDK's own keytool (no extra dependency, nothing
 * checked in that could expire): EC P-256 keys, two days valid. It writes the PEM files the agent reads
 * ({@code uplink.tls.caFile}, {@code certFile}, {@code keyFile} as PKCS#8) and gives the same text to brokers that take
 * PEM. Each keytool run is a JVM start (about half a second), so a test class makes its certificates once.
 */
public final class TestCa {

    private static final String STORE_PASSWORD = "test-store";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private final Path dir;
    private final String name;
    private final Path store;
    private final Path certificate;

    private TestCa(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.store = dir.resolve(name + ".p12");
        this.certificate = dir.resolve(name + ".pem");
    }

    /** A new self-signed CA whose files are {@code dir/name.*}. */
    public static TestCa create(Path dir, String name) throws IOException, GeneralSecurityException {
        TestCa ca = new TestCa(dir, name);
        ca.keytool(null, "-genkeypair", "-keystore", ca.store.toString(), "-alias", name, "-dname", "CN=" + name,
                "-ext", "bc:c");
        KeyStore keys = load(ca.store);
        Files.writeString(ca.certificate, pem("CERTIFICATE", keys.getCertificate(name).getEncoded()));
        return ca;
    }

    /** The CA's certificate as a PEM file: what a client trusts. */
    public Path certificateFile() {
        return certificate;
    }

    public String certificatePem() throws IOException {
        return Files.readString(certificate);
    }

    /**
     * A certificate for {@code commonName} signed by this CA, valid for the host name {@code localhost} only (so a
     * broker can use it as well as a client, and a client that connects to {@code 127.0.0.1} finds it names another
     * host).
     */
    public Issued issue(String commonName) throws IOException, GeneralSecurityException {
        String file = name + "-" + commonName.replaceAll("[^A-Za-z0-9.-]", "_");
        Path leafStore = dir.resolve(file + ".p12");
        keytool(null, "-genkeypair", "-keystore", leafStore.toString(), "-alias", "leaf", "-dname", "CN=" + commonName);
        byte[] request = keytool(null, "-certreq", "-keystore", leafStore.toString(), "-alias", "leaf");
        byte[] signed = keytool(request, "-gencert", "-keystore", store.toString(), "-alias", name, "-rfc",
                "-ext", "SAN=dns:localhost");
        Path chain = dir.resolve(file + ".pem");
        Files.writeString(chain, new String(signed, StandardCharsets.US_ASCII).strip() + "\n" + certificatePem());
        Path key = dir.resolve(file + ".key");
        Files.writeString(key, pem("PRIVATE KEY", load(leafStore).getKey("leaf", STORE_PASSWORD.toCharArray())
                .getEncoded()));
        return new Issued(chain, key);
    }

    /** A certificate chain (the certificate, then the CA's) and its unencrypted PKCS#8 key, as PEM files. */
    public record Issued(Path chainFile, Path keyFile) {

        public String chainPem() throws IOException {
            return Files.readString(chainFile);
        }

        public String keyPem() throws IOException {
            return Files.readString(keyFile);
        }
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        return keys;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Runs keytool with the common options, feeding it {@code input}; returns what it printed on stdout. */
    private byte[] keytool(byte[] input, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1"));
        }
        if (!args[0].equals("-certreq")) {
            command.addAll(List.of("-validity", "2"));
        }
        // Outputs go to files, so the timeout holds even if keytool hangs with its pipes open.
        Path out = Files.createTempFile(dir, "keytool", ".out");
        Path err = Files.createTempFile(dir, "keytool", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (OutputStream in = process.getOutputStream()) {
            if (input != null) {
                in.write(input);
            }
        }
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS
                        + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed with exit code " + process.exitValue()
                    + ": " + Files.readString(out).strip() + " " + Files.readString(err).strip());
        }
        return Files.readAllBytes(out);
    }
}
