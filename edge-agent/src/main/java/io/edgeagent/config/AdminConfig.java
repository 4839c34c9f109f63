package io.edgeagent.config;

import java.nio.file.Path;

/**
 * The local admin HTTP API. It binds to loopback by default and requires the bearer token kept in
 * {@code tokenFile} (created with mode 0600 on first start; default {@code <data directory>/admin.token}).
 */
public record AdminConfig(Boolean enabled, String bind, Integer port, Path tokenFile) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8484;

    public AdminConfig {
        enabled = enabled == null ? Boolean.TRUE : enabled;
        bind = bind == null ? DEFAULT_BIND : bind;
        port = port == null ? DEFAULT_PORT : port;
    }

    AdminConfig resolve(Path base, Path dataDirectory) {
        Path token = tokenFile == null ? dataDirectory.resolve("admin.token") : Paths.resolve(base, tokenFile);
        return new AdminConfig(enabled, bind, port, token);
    }

    public AdminConfig withPort(int newPort) {
        return new AdminConfig(enabled, bind, newPort, tokenFile);
    }
}
