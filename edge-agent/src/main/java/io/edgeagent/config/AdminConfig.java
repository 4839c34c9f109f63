package io.edgeagent.config;

import java.nio.file.Path;

/**
 * The local admin HTTP API. It binds to loopback by default and requires the bearer token kept in
 * {@code tokenFile} (created with mode 0600 on first start; default {@code <data directory>/admin.token}).
 */
public record AdminConfig(Boolean enabled, String bind, Integer port, Path tokenFile) {

    static final Field<Boolean> ENABLED = Field.of("enabled", true);
    static final Field<String> BIND = Field.of("bind", "127.0.0.1",
            Check.notBlank("expected an address to listen on, such as 127.0.0.1"));
    static final Field<Integer> PORT = Field.of("port", 8484, Check.range(0, 65_535));
    /** Not set: {@code admin.token} in the data directory, filled in by {@link #resolve}. */
    static final Field<Path> TOKEN_FILE = Field.of("tokenFile", null);

    public AdminConfig {
        enabled = ENABLED.or(enabled);
        bind = BIND.or(bind);
        port = PORT.or(port);
    }

    AdminConfig resolve(Path base, Path dataDirectory) {
        Path token = tokenFile == null ? dataDirectory.resolve("admin.token") : Paths.resolve(base, tokenFile);
        return new AdminConfig(enabled, bind, port, token);
    }

    public AdminConfig withPort(int newPort) {
        return new AdminConfig(enabled, bind, newPort, tokenFile);
    }
}
