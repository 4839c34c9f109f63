package io.edgeagent.simulator;

import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a simulation needs, validated once by {@link Builder#build()}. Immutable and thread-safe.
 * {@link #toString()} never shows the password.
 */
public final class SimulatorOptions {

    public static final String DEFAULT_BROKER = "tcp://localhost:1883";
    public static final String DEFAULT_CLIENT_ID = "device-simulator";
    public static final double DEFAULT_RATE_PER_DEVICE = 1.0;
    public static final double MAX_RATE_PER_DEVICE = 100_000;
    /** How long a run lasts without a scenario (a scenario brings its own duration). */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
    public static final int DEFAULT_QOS = 1;
    public static final int DEFAULT_MAX_INFLIGHT = 1_000;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl");

    private final String broker;
    private final String username;
    private final String password;
    private final Path caFile;
    private final Path clientCertFile;
    private final Path clientKeyFile;
    private final Scenario scenario;
    private final int devices;
    private final double rate;
    private final Duration duration;
    private final long seed;
    private final PayloadFormat format;
    private final boolean maxRate;
    private final long maxMessages;
    private final int qos;
    private final String clientId;
    private final int connections;
    private final int maxInflight;
    private final Duration connectTimeout;
    private final Instant startTime;

    private SimulatorOptions(Builder b, Scenario scenario, long seed, Duration duration) {
        this.broker = b.broker;
        this.username = b.username;
        this.password = b.password;
        this.caFile = b.caFile;
        this.clientCertFile = b.clientCertFile;
        this.clientKeyFile = b.clientKeyFile;
        this.scenario = scenario;
        this.devices = b.devices;
        this.rate = b.rate;
        this.duration = duration;
        this.seed = seed;
        this.format = b.format;
        this.maxRate = b.maxRate;
        this.maxMessages = b.maxMessages;
        this.qos = b.qos;
        this.clientId = b.clientId;
        this.connections = b.connections;
        this.maxInflight = b.maxInflight;
        this.connectTimeout = b.connectTimeout;
        this.startTime = b.startTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The broker URI: {@code tcp://host:port} or {@code ssl://host:port}. */
    public String broker() {
        return broker;
    }

    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** PEM file of the CA that signed the broker's certificate; null uses the JVM's trust store. */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    /** PEM client certificate (chain) for mutual TLS; always together with {@link #clientKeyFile()}. */
    public Optional<Path> clientCertFile() {
        return Optional.ofNullable(clientCertFile);
    }

    /** Unencrypted PKCS#8 PEM private key of the client certificate. */
    public Optional<Path> clientKeyFile() {
        return Optional.ofNullable(clientKeyFile);
    }

    /** Whether the connection uses TLS: an {@code ssl://} broker URI. */
    public boolean tls() {
        return broker.startsWith("ssl://");
    }

    /** The scenario whose devices run, if any. */
    public Optional<Scenario> scenario() {
        return Optional.ofNullable(scenario);
    }

    /** Generic temperature sensors added to the scenario's own devices. */
    public int devices() {
        return devices;
    }

    /** Messages per second of each generic sensor; the scenario's devices keep their own intervals. */
    public double rate() {
        return rate;
    }

    /** How long the run lasts; {@link Duration#ZERO} means until {@link Simulator#stop()}. */
    public Duration duration() {
        return duration;
    }

    /** The seed of every random choice; given, or drawn at build time and reported so a run can be repeated. */
    public long seed() {
        return seed;
    }

    public PayloadFormat format() {
        return format;
    }

    /** Publish as fast as the broker accepts instead of on the devices' schedules. */
    public boolean maxRate() {
        return maxRate;
    }

    /** Stop after this many messages; 0 for no limit. */
    public long maxMessages() {
        return maxMessages;
    }

    public int qos() {
        return qos;
    }

    /** The MQTT client id; with several connections, {@code -1}, {@code -2}, ... are appended. */
    public String clientId() {
        return clientId;
    }

    /** MQTT connections the devices are spread over (round robin). */
    public int connections() {
        return connections;
    }

    /** Messages per connection published but not yet acknowledged before publishing waits. */
    public int maxInflight() {
        return maxInflight;
    }

    /** How long the first connection attempts may take in total, and the limit on each later broker call. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The event time of the first message; null means the wall clock when the run starts. */
    public Optional<Instant> startTime() {
        return Optional.ofNullable(startTime);
    }

    @Override
    public String toString() {
        return "SimulatorOptions[broker=" + broker + ", username=" + username
                + ", password=" + (password == null ? "none" : "***") + ", tls=" + tls()
                + ", scenario=" + (scenario == null ? "none" : scenario.name()) + ", devices=" + devices
                + ", rate=" + rate + ", duration=" + duration + ", seed=" + seed + ", format=" + format.cliName()
                + ", maxRate=" + maxRate + ", maxMessages=" + maxMessages + ", qos=" + qos + ", clientId=" + clientId
                + ", connections=" + connections + "]";
    }

    /** Collects settings; {@link #build()} checks them all and reports every problem at once. Not thread-safe. */
    public static final class Builder {
        private String broker = DEFAULT_BROKER;
        private String username;
        private String password;
        private Path caFile;
        private Path clientCertFile;
        private Path clientKeyFile;
        private String scenario;
        private int devices;
        private double rate = DEFAULT_RATE_PER_DEVICE;
        private Duration duration;
        private Long seed;
        private PayloadFormat format = PayloadFormat.JSON;
        private boolean maxRate;
        private long maxMessages;
        private int qos = DEFAULT_QOS;
        private String clientId = DEFAULT_CLIENT_ID;
        private int connections = 1;
        private int maxInflight = DEFAULT_MAX_INFLIGHT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Instant startTime;

        private Builder() {
        }

        public Builder broker(String uri) {
            this.broker = uri;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder caFile(Path pem) {
            this.caFile = pem;
            return this;
        }

        public Builder clientCertFile(Path pem) {
            this.clientCertFile = pem;
            return this;
        }

        public Builder clientKeyFile(Path pem) {
            this.clientKeyFile = pem;
            return this;
        }

        /** A built-in scenario's name or a scenario file's path; null for generic sensors only. */
        public Builder scenario(String nameOrPath) {
            this.scenario = nameOrPath;
            return this;
        }

        public Builder devices(int extraGenericSensors) {
            this.devices = extraGenericSensors;
            return this;
        }

        public Builder rate(double messagesPerSecondPerDevice) {
            this.rate = messagesPerSecondPerDevice;
            return this;
        }

        /** Null for the scenario's own duration (or {@link #DEFAULT_DURATION}); zero for "until stopped". */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        public Builder format(PayloadFormat format) {
            this.format = format;
            return this;
        }

        public Builder maxRate(boolean maxRate) {
            this.maxRate = maxRate;
            return this;
        }

        public Builder maxMessages(long maxMessages) {
            this.maxMessages = maxMessages;
            return this;
        }

        public Builder qos(int qos) {
            this.qos = qos;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder connections(int connections) {
            this.connections = connections;
            return this;
        }

        public Builder maxInflight(int maxInflight) {
            this.maxInflight = maxInflight;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder startTime(Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming every invalid setting, its value and what is expected
         */
        public SimulatorOptions build() {
            List<String> problems = new ArrayList<>();
            checkBroker(problems);
            Scenario loaded = null;
            if (scenario != null) {
                try {
                    loaded = Scenarios.load(scenario);
                } catch (IllegalArgumentException e) {
                    problems.add("scenario: " + e.getMessage());
                }
            }
            if (devices < 0) {
                problems.add("devices = " + devices + ": expected 0 or more extra sensors");
            } else if (scenario == null && devices == 0) {
                problems.add("nothing to simulate: name a scenario or ask for 1 or more devices");
            }
            if (!(rate > 0 && rate <= MAX_RATE_PER_DEVICE)) {
                problems.add("rate = " + rate + ": expected more than 0 and at most " + (long) MAX_RATE_PER_DEVICE
                        + " messages per second per device");
            }
            if (duration != null && duration.isNegative()) {
                problems.add("duration = " + duration + ": expected a positive duration, or 0 to run until stopped");
            }
            if (format == null) {
                problems.add("format: required");
            }
            if (maxMessages < 0) {
                problems.add("maxMessages = " + maxMessages + ": expected 0 (no limit) or more");
            }
            if (qos < 0 || qos > 2) {
                problems.add("qos = " + qos + ": expected 0, 1 or 2");
            }
            if (clientId == null || clientId.isBlank() || clientId.length() > 60) {
                problems.add("clientId = " + clientId + ": expected 1 to 60 characters");
            }
            if (connections < 1 || connections > 64) {
                problems.add("connections = " + connections + ": expected 1 to 64");
            }
            if (maxInflight < 1 || maxInflight > 65_535) {
                problems.add("maxInflight = " + maxInflight + ": expected 1 to 65535");
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                problems.add("connectTimeout = " + connectTimeout + ": expected a positive duration");
            }
            if (password != null && username == null) {
                problems.add("password given without a username");
            }
            checkTlsFiles(problems);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            Duration effective = duration != null ? duration
                    : loaded != null ? loaded.duration() : DEFAULT_DURATION;
            long effectiveSeed = seed != null ? seed : new SecureRandom().nextLong();
            return new SimulatorOptions(this, loaded, effectiveSeed, effective);
        }

        private void checkBroker(List<String> problems) {
            try {
                URI uri = new URI(broker);
                if (!SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                    problems.add("broker = " + broker + ": expected tcp://host:port or ssl://host:port");
                }
            } catch (Exception e) {
                problems.add("broker = " + broker + ": expected tcp://host:port or ssl://host:port");
            }
        }

        private void checkTlsFiles(List<String> problems) {
            boolean anyTlsFile = caFile != null || clientCertFile != null || clientKeyFile != null;
            if (anyTlsFile && broker != null && !broker.startsWith("ssl://")) {
                problems.add("TLS files given but broker " + broker + " is not an ssl:// URI");
            }
            if ((clientCertFile == null) != (clientKeyFile == null)) {
                problems.add("a client certificate needs both the certificate file and the key file");
            }
            for (Path p : new Path[] {caFile, clientCertFile, clientKeyFile}) {
                if (p != null && !Files.isReadable(p)) {
                    problems.add("cannot read TLS file " + p);
                }
            }
        }
    }
}
