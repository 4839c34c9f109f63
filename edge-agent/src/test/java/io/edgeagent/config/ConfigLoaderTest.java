package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Path ROOT = TestConfigs.repositoryRoot();
    private static final ConfigLoader NO_ENV = new ConfigLoader(new Placeholders(name -> null));

    @Test
    void load_repositoryConfig_hasTheDocumentedValues() throws ConfigException {
        AgentConfig config = NO_ENV.load(ROOT.resolve("config.yaml"));

        BrokerConfig broker = config.broker();
        assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(broker.clientId()).isEqualTo("edge-agent");
        assertThat(broker.username()).as("\"\" means no username").isNull();
        assertThat(broker.password()).as("\"\" means no password").isNull();
        assertThat(broker.tls()).as("blank PEM paths mean none set").isEqualTo(TlsConfig.NONE);
        assertThat(broker.qos()).isEqualTo(1);
        assertThat(broker.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(broker.reconnectMax()).isEqualTo(Duration.ofSeconds(60));

        assertThat(config.inputs()).extracting(InputConfig::name)
                .containsExactly("readings", "locations", "raw", "tasmota", "owntracks");
        assertThat(config.inputs()).extracting(InputConfig::event)
                .containsExactly("reading", "location", "reading", "reading", "location");
        InputConfig raw = config.inputs().get(2);
        assertThat(raw.fields()).containsEntry("deviceId", new FieldSource.TopicSegment(1))
                .containsEntry("type", new FieldSource.TopicSegment(2))
                .containsEntry("value", new FieldSource.WholePayload());

        assertThat(config.rules().directory()).isEqualTo(ROOT.resolve("rules"));
        assertThat(config.rules().watch()).isTrue();
        assertThat(config.geofences()).containsOnlyKeys("depot");
        GeofenceConfig depot = config.geofences().get("depot");
        assertThat(depot.isCircle()).isTrue();
        assertThat(depot.lat()).isEqualTo(52.52);
        assertThat(depot.radius()).isEqualTo(300.0);
        assertThat(depot.margin()).isEqualTo(10.0);
        assertThat(config.data().directory()).isEqualTo(ROOT.resolve("data"));
        assertThat(config.buffer().maxBytes()).isEqualTo(new ByteSize(256L * 1024 * 1024));
        assertThat(config.buffer().maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(config.buffer().commitInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.uplink().enabled()).isFalse();
        assertThat(config.uplink().retryMax()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.uplink().headers()).isEmpty();
        assertThat(config.admin().port()).isEqualTo(8484);
        assertThat(config.admin().tokenFile()).as("the default token file lives in the data directory")
                .isEqualTo(ROOT.resolve("data").resolve("admin.token"));
    }

    /** config.yaml promises "every key is shown with its default value": a file without them must bind the same. */
    @Test
    void parse_minimalFile_givesTheValuesShownInRepositoryConfig() throws ConfigException {
        AgentConfig shown = NO_ENV.load(ROOT.resolve("config.yaml"));

        AgentConfig minimal = NO_ENV.parse("minimal.yaml", "inputs:\n  - topic: sensors/+/+\n", ROOT);

        assertSoftly(soft -> {
            soft.assertThat(minimal.broker()).isEqualTo(shown.broker());
            soft.assertThat(minimal.rules()).isEqualTo(shown.rules());
            soft.assertThat(minimal.data()).isEqualTo(shown.data());
            soft.assertThat(minimal.buffer()).isEqualTo(shown.buffer());
            soft.assertThat(minimal.pipeline()).isEqualTo(shown.pipeline());
            soft.assertThat(minimal.actions()).isEqualTo(shown.actions());
            soft.assertThat(minimal.uplink()).as("uplink (url: \"\" is shown as the default)").isEqualTo(shown.uplink());
            soft.assertThat(minimal.admin()).isEqualTo(shown.admin());
            soft.assertThat(minimal.geofences()).isEmpty();
            InputConfig input = minimal.inputs().get(0);
            soft.assertThat(input.name()).as("an unnamed input is named after its topic").isEqualTo("sensors/+/+");
            soft.assertThat(input.format()).isEqualTo("json");
            soft.assertThat(input.event()).isEqualTo("reading");
        });
    }

    @Test
    void parse_owntracksInputWithoutEvent_isALocationInput() throws ConfigException {
        AgentConfig config = NO_ENV.parse("c.yaml", "inputs:\n  - topic: owntracks/+/+\n    format: owntracks\n", ROOT);

        assertThat(config.inputs().get(0).event()).isEqualTo("location");
    }

    @Test
    void load_fileWithOneOfEachMistake_reportsEveryProblemWithFileLineKeyValueAndExpectation(@TempDir Path dir)
            throws IOException {
        String text = resource("config/every-problem.yaml");
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, text);
        Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NO_ENV.load(file));

        assertThat(e).as("the loader must refuse the file").isNotNull();
        List<Problem> problems = e.problems();
        assertThat(problems).allSatisfy(p -> assertThat(p.source()).isEqualTo(file.toString()));
        assertThat(problems).as("problems in file order").isSortedAccordingTo(Comparator.comparingInt(Problem::line));

        expect(problems, text, "broker.qos", "qos: 2", "2", "expected 0 or 1");
        expect(problems, text, "broker.keepAlive", "keepAlive: soon", "soon", "expected a duration such as 500ms");
        Problem colour = expect(problems, text, "broker.colour", "colour: blue", null, "unknown key");
        assertThat(colour.message()).as("names the keys that are known there")
                .contains("clientId", "keepAlive", "qos", "tls", "url");
        expect(problems, text, "broker.tls", "tls:", null, "expected both certFile and keyFile");
        expect(problems, text, "inputs[0].topic", "topic: sensors/#/temperature", "sensors/#/temperature",
                "'#' only as the whole last level");
        expect(problems, text, "inputs[1].format", "format: xml", "xml", "expected one of [json, raw, tasmota, owntracks]");
        expect(problems, text, "inputs[2].fields.temperature", "temperature: /temp", "/temp",
                "unknown field for a reading");
        expect(problems, text, "rules.directory", "directory: no-such-rules", dir.resolve("no-such-rules").toString(),
                "expected an existing directory");
        expect(problems, text, "geofences.depot.lat", "lat: 95.5", "95.5", "expected a latitude from -90 to 90");
        expect(problems, text, "buffer.policy", "policy: drop-newest", "drop-newest",
                "expected drop-oldest or backpressure");
        expect(problems, text, "buffer.maxBatch", "maxBatch: lots", "lots", "expected a whole number");
        expect(problems, text, "admin.port", "port: 70000", "70000", "expected a whole number from 0 to 65535");
        assertThat(problems).as("exactly the mistakes in the file, no more").hasSize(12);
        assertThat(e.getMessage()).startsWith("12 problems:")
                .contains(file + ":" + lineContaining(text, "qos: 2") + ": broker.qos = \"2\": expected 0 or 1");
    }

    @Test
    void parse_wrongTypes_nameTheExpectedTypeAndWhatWasFound() {
        String text = """
                inputs:
                  - topic: a/+
                broker:
                  maxInflight: [1, 2]
                  reconnectMin: 5 seconds
                buffer:
                  sync: maybe
                  maxBytes: 12 parsecs
                rules:
                  watch: 1
                """;

        List<Problem> problems = problems(text);

        assertThat(problems).hasSize(5);
        expect(problems, text, "rules.watch", "watch: 1", "1", "expected true or false but found a number");
        expect(problems, text, "broker.reconnectMin", "reconnectMin:", "5 seconds", "expected a duration");
        expect(problems, text, "buffer.sync", "sync: maybe", "maybe", "expected true or false");
        expect(problems, text, "buffer.maxBytes", "maxBytes:", "12 parsecs", "expected a size such as 64MB");
        expect(problems, text, "broker.maxInflight", "maxInflight:", null, "expected a whole number but found a list");
    }

    @Test
    void parse_minFreeSpaceBelowOneMegabyte_isAProblemButZeroTurnsTheGuardOff() throws Exception {
        String tooSmall = "inputs:\n  - topic: a/+\nbuffer:\n  minFreeSpace: 64KB\n";
        String off = "inputs:\n  - topic: a/+\nbuffer:\n  minFreeSpace: 0\n";

        expect(problems(tooSmall), tooSmall, "buffer.minFreeSpace", "minFreeSpace:", "64KB", "expected 0 (off) or at least 1MB");
        assertThat(NO_ENV.parse("test.yaml", off, ROOT).buffer().minFreeSpace().bytes()).isZero();
    }

    @Test
    void parse_unknownTopLevelKey_isAProblemListingTheSections() {
        String text = "inputs:\n  - topic: a/+\nbrokr:\n  url: tcp://x:1883\n";

        Problem p = expect(problems(text), text, "brokr", "brokr:", null, "unknown key");

        assertThat(p.message()).contains("broker", "inputs", "buffer", "uplink");
    }

    @Test
    void parse_badGeofences_eachNamesTheFenceAndTheRule() {
        String text = """
                inputs:
                  - topic: a/+
                geofences:
                  yard:
                    polygon: [[52.5, 13.4], [52.6, 13.5]]
                  both:
                    lat: 52.5
                    lon: 13.4
                    radius: 10
                    polygon: [[1, 1], [2, 2], [3, 3]]
                  flat:
                    lat: 52.5
                    lon: 200
                    radius: 0
                    margin: -1
                """;

        List<Problem> problems = problems(text);

        expect(problems, text, "geofences.yard.polygon", "polygon: [[52.5", null, "at least 3 [lat, lon] corners");
        expect(problems, text, "geofences.both", "both:", null, "not both");
        expect(problems, text, "geofences.flat.lon", "lon: 200", "200.0", "expected a longitude from -180 to 180");
        expect(problems, text, "geofences.flat.radius", "radius: 0", "0.0", "above 0");
        expect(problems, text, "geofences.flat.margin", "margin: -1", "-1.0", "0 or more metres");
        assertThat(problems).hasSize(5);
    }

    @Test
    void parse_brokerUrlAndUplinkMistakes_areReported() {
        String text = """
                inputs:
                  - topic: a/+
                broker:
                  url: http://broker:1883
                  reconnectMin: 10s
                  reconnectMax: 5s
                uplink:
                  enabled: true
                  type: http
                  url: ftp://upstream
                  backlogShare: 1.5
                  refusedCodes: [400, 404]
                """;

        List<Problem> problems = problems(text);

        expect(problems, text, "broker.url", "url: http://broker", "http://broker:1883", "expected an MQTT URL");
        expect(problems, text, "broker.reconnectMax", "reconnectMax: 5s", "5s", "at least broker.reconnectMin (10s)");
        expect(problems, text, "uplink.url", "url: ftp://upstream", "ftp://upstream", "http:// or https://");
        expect(problems, text, "uplink.backlogShare", "backlogShare: 1.5", "1.5", "a fraction from 0 to 1");
        expect(problems, text, "uplink.refusedCodes", "refusedCodes: [400, 404]", "[400, 404]",
                "expected a list of HTTP 4xx statuses other than 401, 403, 404, 407, 408, 409, 421, 425, 429");
        assertThat(problems).hasSize(5);
    }

    /** config.yaml shows its inputs as defaults, so a file without inputs: gets exactly those. */
    @Test
    void parse_fileWithoutInputs_subscribesToTheInputsShownInRepositoryConfig() throws ConfigException {
        AgentConfig shown = NO_ENV.load(ROOT.resolve("config.yaml"));

        AgentConfig withoutInputs = NO_ENV.parse("c.yaml", "broker:\n  qos: 0\n", ROOT);

        assertThat(withoutInputs.inputs()).isEqualTo(shown.inputs()).isEqualTo(InputConfig.DEFAULTS);
    }

    @Test
    void parse_emptyInputList_isAProblem() {
        List<Problem> problems = problems("inputs: []\n");

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("inputs");
            assertThat(p.message()).contains("at least one input");
        });
    }

    @Test
    void parse_emptyFile_isAProblemNotANullConfig() {
        List<Problem> problems = problems("");

        assertThat(problems).isNotEmpty();
        assertThat(problems.get(0).message()).isNotBlank();
    }

    @Test
    void parse_malformedYaml_reportsTheLineOfTheSyntaxError() {
        String text = "inputs:\n  - topic: a/+\nbroker: {url: [\n";

        List<Problem> problems = problems(text);

        assertThat(problems).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).isNotBlank();
        });
    }

    @Test
    void load_missingFile_isAProblemNamingTheFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NO_ENV.load(file));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo(file.toString());
            assertThat(p.message()).contains("cannot read the configuration file");
        });
    }

    @Test
    void load_relativePaths_resolveAgainstTheConfigFilesDirectoryNotTheWorkingDirectory(@TempDir Path dir)
            throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(etc.resolve("my-rules"));
        Files.createDirectories(etc.resolve("pki"));
        Files.writeString(etc.resolve("pki/ca.pem"), "ca");
        Files.writeString(etc.resolve("pki/client.pem"), "cert");
        Files.writeString(etc.resolve("pki/client.key"), "key");
        Path file = etc.resolve("config.yaml");
        Files.writeString(file, """
                broker:
                  tls:
                    caFile: pki/ca.pem
                    certFile: ./pki/client.pem
                    keyFile: pki/../pki/client.key
                inputs:
                  - topic: a/+
                rules:
                  directory: my-rules
                data:
                  directory: ../var/state
                admin:
                  tokenFile: secrets/admin.token
                uplink:
                  tls:
                    caFile: %s
                """.formatted(etc.resolve("pki/ca.pem").toAbsolutePath()));

        AgentConfig config = NO_ENV.load(file);

        assertThat(config.broker().tls().caFile()).isEqualTo(etc.resolve("pki/ca.pem"));
        assertThat(config.broker().tls().certFile()).isEqualTo(etc.resolve("pki/client.pem"));
        assertThat(config.broker().tls().keyFile()).isEqualTo(etc.resolve("pki/client.key"));
        assertThat(config.broker().tls().clientCertificate()).isTrue();
        assertThat(config.rules().directory()).isEqualTo(etc.resolve("my-rules"));
        assertThat(config.data().directory()).isEqualTo(dir.resolve("var/state"));
        assertThat(config.admin().tokenFile()).isEqualTo(etc.resolve("secrets/admin.token"));
        assertThat(config.uplink().tls().caFile()).as("absolute paths stay as written")
                .isEqualTo(etc.resolve("pki/ca.pem").toAbsolutePath());
    }

    @Test
    void parse_blankOptionalStrings_meanNotSet(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        String text = """
                broker:
                  username: ""
                  password: "  "
                  tls:
                    caFile: ""
                    certFile: " "
                    keyFile:
                inputs:
                  - topic: a/+
                admin:
                  tokenFile: ""
                uplink:
                  url: ""
                  password: ""
                """;

        AgentConfig config = NO_ENV.parse("c.yaml", text, dir);

        assertThat(config.broker().username()).isNull();
        assertThat(config.broker().password()).isNull();
        assertThat(config.broker().tls()).isEqualTo(TlsConfig.NONE);
        assertThat(config.admin().tokenFile()).isEqualTo(dir.resolve("data").resolve("admin.token"));
        assertThat(config.uplink().password()).isNull();
    }

    @Test
    void toString_ofConfigWithSecrets_neverContainsThem(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Map<String, String> env = Map.of("MQTT_PASSWORD", "broker-s3cret", "UPLINK_PASSWORD", "uplink-s3cret",
                "UPLINK_TOKEN", "token-s3cret");
        String text = """
                broker:
                  username: agent
                  password: ${ENV:MQTT_PASSWORD}
                inputs:
                  - topic: a/+
                uplink:
                  password: ${ENV:UPLINK_PASSWORD}
                  headers:
                    Authorization: Bearer ${ENV:UPLINK_TOKEN}
                """;

        AgentConfig config = new ConfigLoader(new Placeholders(env::get)).parse("c.yaml", text, dir);

        assertThat(config.broker().password()).isEqualTo("broker-s3cret");
        assertThat(config.uplink().headers()).containsEntry("Authorization", "Bearer token-s3cret");
        assertThat(config.broker().toString()).contains("username=agent", "password=***").doesNotContain("s3cret");
        assertThat(config.uplink().toString()).contains("Authorization").doesNotContain("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void parse_backpressureWithoutUplink_isAProblemSayingIngestWouldStop() {
        String text = "inputs:\n  - topic: sensors/+/+\nbuffer:\n  policy: backpressure\n";

        List<Problem> problems = problems(text);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("buffer.policy");
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("uplink.enabled is false").contains("stop ingest");
        });
    }

    private static List<Problem> problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NO_ENV.parse("test.yaml", text, ROOT));
        assertThat(e).as("expected problems in:\n%s", text).isNotNull();
        return e.problems();
    }

    /** Asserts the problem at {@code path} is on the line containing {@code lineSnippet}, with value and message. */
    static Problem expect(List<Problem> problems, String text, String path, String lineSnippet, String value,
                          String messagePart) {
        Problem problem = problems.stream().filter(p -> path.equals(p.path())).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " among:\n" + describe(problems)));
        assertThat(problem.line()).as("line of %s", problem.describe()).isEqualTo(lineContaining(text, lineSnippet));
        assertThat(problem.value()).as("value of %s", problem.describe()).isEqualTo(value);
        assertThat(problem.message()).as("message of %s", problem.describe()).contains(messagePart);
        return problem;
    }

    static String describe(List<Problem> problems) {
        return String.join("\n", problems.stream().map(Problem::describe).toList());
    }

    /** 1-based number of the only line of {@code text} containing {@code snippet}. */
    static int lineContaining(String text, String snippet) {
        List<String> lines = text.lines().toList();
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(snippet)) {
                assertThat(found).as("snippet '%s' must be on one line only", snippet).isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as("snippet '%s' not in the text", snippet).isPositive();
        return found;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
