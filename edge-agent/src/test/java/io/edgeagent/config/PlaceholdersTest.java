package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaceholdersTest {

    private static final Map<String, String> ENV = Map.of("MQTT_PASSWORD", "pa$$\\w0rd", "HOST", "broker.lan",
            "PORT", "8883");
    private static final Placeholders PLACEHOLDERS = new Placeholders(ENV::get);

    @Test
    void resolve_textWithoutPlaceholders_isReturnedAsWritten() {
        assertThat(PLACEHOLDERS.resolve("tcp://127.0.0.1:1883")).isEqualTo("tcp://127.0.0.1:1883");
        assertThat(PLACEHOLDERS.resolve("costs ${5}")).isEqualTo("costs ${5}");
    }

    @Test
    void resolve_envPlaceholders_areReplacedEvenAmongOtherText() {
        assertThat(PLACEHOLDERS.resolve("ssl://${ENV:HOST}:${ENV:PORT}")).isEqualTo("ssl://broker.lan:8883");
    }

    @Test
    void resolve_valueWithDollarAndBackslash_isInsertedLiterally() {
        assertThat(PLACEHOLDERS.resolve("${ENV:MQTT_PASSWORD}")).isEqualTo("pa$$\\w0rd");
    }

    @Test
    void resolve_unsetVariable_failsNamingIt() {
        assertThatThrownBy(() -> PLACEHOLDERS.resolve("${ENV:NOT_SET}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOT_SET");
    }

    @Test
    void resolve_filePlaceholder_readsTheFileTrimmed(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("mqtt.password");
        Files.writeString(secret, "  hunter2\n\n");

        assertThat(PLACEHOLDERS.resolve("${FILE:" + secret + "}")).isEqualTo("hunter2");
    }

    @Test
    void resolve_missingFile_failsNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.password");

        assertThatThrownBy(() -> PLACEHOLDERS.resolve("${FILE:" + missing + "}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void load_envPlaceholderInConfig_isResolvedThroughTheInjectedEnvironment(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        String text = "broker:\n  url: ssl://${ENV:HOST}:${ENV:PORT}\n  password: ${ENV:MQTT_PASSWORD}\n"
                + "inputs:\n  - topic: a/+\n";

        AgentConfig config = new ConfigLoader(PLACEHOLDERS).parse("c.yaml", text, dir);

        assertThat(config.broker().url()).isEqualTo("ssl://broker.lan:8883");
        assertThat(config.broker().password()).isEqualTo("pa$$\\w0rd");
    }

    @Test
    void load_unsetVariable_isAProblemNamingTheVariableAndNeverTheSecretsThatWereSet(@TempDir Path dir)
            throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Placeholders env = new Placeholders(Map.of("MQTT_USER", "top-s3cret-user")::get);
        String text = "broker:\n  username: x\n  password: ${ENV:MQTT_USER}:${ENV:MQTT_PASSWORD}\n"
                + "inputs:\n  - topic: a/+\n";

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(env).parse("c.yaml", text, dir));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("broker.password");
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.message()).contains("environment variable MQTT_PASSWORD is not set");
        });
        assertThat(e.getMessage()).doesNotContain("top-s3cret-user");
    }

    @Test
    void load_unreadableSecretFile_isAProblemNamingTheFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path missing = dir.resolve("missing.password");
        String text = "broker:\n  password: ${FILE:" + missing + "}\ninputs:\n  - topic: a/+\n";

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> new ConfigLoader(PLACEHOLDERS).parse("c.yaml", text, dir));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("broker.password");
            assertThat(p.message()).contains("cannot read secret file " + missing);
        });
    }

    @Test
    void load_filePlaceholderInConfig_readsTheTrimmedSecret(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Path secret = dir.resolve("token");
        Files.writeString(secret, "abc123\n");
        String text = "inputs:\n  - topic: a/+\nuplink:\n  headers:\n    Authorization: Bearer ${FILE:" + secret + "}\n";

        AgentConfig config = new ConfigLoader(PLACEHOLDERS).parse("c.yaml", text, dir);

        assertThat(config.uplink().headers()).containsEntry("Authorization", "Bearer abc123");
    }
}
