package io.edgeagent.config;

import java.nio.file.Path;

/**
 * TLS material for an MQTT, HTTP or Kafka link, all PEM files. Every field is optional: with none set, TLS uses the
 * JVM's trust store; {@code caFile} trusts a private CA; {@code certFile} plus {@code keyFile} (PKCS#8) authenticate
 * the agent with a client certificate.
 */
public record TlsConfig(Path caFile, Path certFile, Path keyFile) implements Section {

    public static final TlsConfig NONE = new TlsConfig(null, null, null);
    static final Field<Path> CA_FILE = Field.of("caFile", null, Check.readableFile());
    static final Field<Path> CERT_FILE = Field.of("certFile", null, Check.readableFile());
    static final Field<Path> KEY_FILE = Field.of("keyFile", null, Check.readableFile());

    public boolean clientCertificate() {
        return certFile != null && keyFile != null;
    }

    /** Whether this names a CA or a client certificate; if not, the JVM's defaults apply. */
    public boolean namesFiles() {
        return caFile != null || clientCertificate();
    }

    @Override
    public void validate(Validation here) {
        if ((certFile == null) != (keyFile == null)) {
            here.problem("", null, "expected both certFile and keyFile for a client certificate, or neither");
        }
    }

    TlsConfig resolve(Path base) {
        return new TlsConfig(Paths.resolve(base, caFile), Paths.resolve(base, certFile), Paths.resolve(base, keyFile));
    }
}
