package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Event;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.wire.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An event type declared in the configuration, from payload to rule firing, on the external clock. */
class DeclaredEventTypesTest {

    private static final EventTypes VIBRATION = new EventTypes(Map.of("Vibration",
            new java.util.LinkedHashMap<>(Map.of("rms", "double", "axis", "string"))));
    private static final String RULE = """
            name: shaking
            epl: select deviceId, rms, axis from Vibration(rms > 4.5)
            """;

    @TempDir
    Path cache;

    /** Times from 1970 keep the numbers small; the window's own tests are in the decode package. */
    private static MessageDecoder decoder() {
        return new MessageDecoder(List.of(new InputConfig("vib", "machines/+/vibration", "json", "Vibration", Map.of())),
                VIBRATION, new EventTimeWindow(Instant.EPOCH, null));
    }

    private static Event decode(String json) throws DecodeException {
        return decoder().decode("machines/press-1/vibration", json.getBytes(StandardCharsets.UTF_8), 5_000).get(0);
    }

    @Test
    void decode_jsonOfADeclaredType_givesTypedFields_andNullForMissingOnes() throws DecodeException {
        DeclaredEvent event = (DeclaredEvent) decode("{\"deviceId\":\"press-1\",\"rms\":5.2,\"ts\":1000}");

        assertThat(event.kind()).isEqualTo("Vibration");
        assertThat(event.deviceId()).isEqualTo("press-1");
        assertThat(event.eventTime()).isEqualTo(1_000_000);
        assertThat(event.fields()).containsEntry("rms", 5.2).containsEntry("axis", null);
    }

    @Test
    void decode_wrongTypeOrNoDevice_isAnErrorNamingTheField() {
        assertThatThrownBy(() -> decode("{\"deviceId\":\"press-1\",\"rms\":\"loud\"}"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("input 'vib'").hasMessageContaining("'rms'")
                .hasMessageContaining("expected a number");
        assertThatThrownBy(() -> decode("{\"rms\":1.0}")).hasMessageContaining("deviceId");
    }

    @Test
    void rule_onADeclaredType_firesWithItsFields_andComesFromTheCacheNextTime() throws Exception {
        List<RuleFiring> fired = new CopyOnWriteArrayList<>();
        try (RuleEngine engine = new RuleEngine(Map.of(), VIBRATION, true, (r, f) -> fired.add(f), cache)) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("shaking.yaml"), RULE));
            engine.advanceTime(1_000);
            engine.send(decode("{\"deviceId\":\"press-1\",\"rms\":3.0,\"axis\":\"x\"}"));
            engine.send(decode("{\"deviceId\":\"press-1\",\"rms\":5.0,\"axis\":\"z\"}"));
        }
        assertThat(fired).singleElement().satisfies(f -> assertThat(f.fields())
                .containsEntry("deviceId", "press-1").containsEntry("rms", 5.0).containsEntry("axis", "z"));

        try (RuleEngine engine = new RuleEngine(Map.of(), VIBRATION, true, (r, f) -> { }, cache)) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("shaking.yaml"), RULE));
            assertThat(engine.compilerLoads()).isZero();
        }
        EventTypes changed = new EventTypes(Map.of("Vibration", Map.of("rms", "double", "axis", "string",
                "peak", "double")));
        try (RuleEngine engine = new RuleEngine(Map.of(), changed, true, (r, f) -> { }, cache)) {
            engine.deploy(RuleFileReader.fromSystem().parse(Path.of("shaking.yaml"), RULE));
            assertThat(engine.compilerLoads()).as("a changed declaration compiles the rule again").isEqualTo(1);
        }
    }

    @Test
    void rule_namingAnUndeclaredField_isRejectedWithItsLine() {
        try (RuleEngine engine = new RuleEngine(Map.of(), VIBRATION, true, (r, f) -> { }, null)) {
            assertThatThrownBy(() -> engine.deploy(RuleFileReader.fromSystem().parse(Path.of("bad.yaml"),
                    "name: bad\nepl: select peak from Vibration\n")))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().get(0).describe())
                            .contains("bad.yaml:2").contains("peak"));
        }
    }

    @Test
    void eventJson_declaredEvent_roundTripsWithItsFields() throws DecodeException {
        Event event = decode("{\"deviceId\":\"press-1\",\"rms\":5.5,\"axis\":\"y\",\"ts\":2000}");

        String json = EventJson.toJson(event);
        DeclaredEvent back = (DeclaredEvent) EventJson.fromJson(json, "unused");

        assertThat(json).contains("\"kind\":\"Vibration\"").contains("\"fields\":{");
        assertThat(back.kind()).isEqualTo("Vibration");
        assertThat(back.id()).isEqualTo(event.id());
        assertThat(VIBRATION.coerce(back.kind(), back.fields())).isEqualTo(((DeclaredEvent) event).fields());
    }
}
