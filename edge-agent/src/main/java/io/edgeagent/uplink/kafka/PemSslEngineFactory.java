package io.edgeagent.uplink.kafka;

import io.edgeagent.config.TlsConfig;
import io.edgeagent.tls.PemTls;
import java.security.KeyStore;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.kafka.common.security.auth.SslEngineFactory;

/**
 * Gives the Kafka client the TLS context the MQTT and HTTP links build from the same PEM settings ({@link PemTls}),
 * so every link reads certificates and keys the same way. Kafka creates it by class name and hands it the producer's
 * configuration, which carries the {@link TlsConfig} under {@link #TLS_CONFIG}.
 */
public final class PemSslEngineFactory implements SslEngineFactory {

    static final String TLS_CONFIG = "edge.uplink.tls";

    private SSLContext context;

    @Override
    public void configure(Map<String, ?> configs) {
        context = PemTls.context((TlsConfig) configs.get(TLS_CONFIG));
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
        SSLEngine engine = context.createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        if (endpointIdentification != null && !endpointIdentification.isEmpty()) {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
            engine.setSSLParameters(parameters);
        }
        return engine;
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
        throw new UnsupportedOperationException("the agent is a Kafka client only");
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
        return false;
    }

    @Override
    public Set<String> reconfigurableConfigs() {
        return Set.of();
    }

    @Override
    public KeyStore keystore() {
        return null;
    }

    @Override
    public KeyStore truststore() {
        return null;
    }

    @Override
    public void close() {
        // Nothing held beyond the context, which needs no closing.
    }
}
