package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code eventTypes:} in the configuration: what is accepted, and every mistake reported at once. */
class DeclaredEventTypesConfigTest {

    private static final Path ROOT = TestConfigs.repositoryRoot();
    private static final ConfigLoader NO_ENV = new ConfigLoader(new Placeholders(name -> null));

    @Test
    void parse_declaredTypeAndInput_bindsFieldsInOrder() throws ConfigException {
        AgentConfig config = NO_ENV.parse("c.yaml", """
                eventTypes:
                  Vibration:
                    rms: double
                    count: long
                    axis: string
                    alarm: boolean
                inputs:
                  - topic: machines/+/vibration
                    event: Vibration
                    fields:
                      rms: /v/rms
                """, ROOT);

        assertThat(config.declaredEventTypes().fields("Vibration"))
                .containsExactly(Map.entry("rms", "double"), Map.entry("count", "long"), Map.entry("axis", "string"),
                        Map.entry("alarm", "boolean"));
        assertThat(config.inputs().get(0).event()).isEqualTo("Vibration");
    }

    @Test
    void parse_badDeclarationsAndInputs_reportsEveryProblemWithItsKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NO_ENV.parse("c.yaml", """
                eventTypes:
                  Reading:
                    x: double
                  9lives:
                    x: double
                  Vibration:
                    rms: float
                    deviceId: string
                    peak:
                inputs:
                  - topic: machines/+/vibration
                    event: Vibrations
                  - topic: machines/+/spectrum
                    event: Vibration
                    fields:
                      spike: /spike
                """, ROOT));

        List<String> described = e.problems().stream().map(Problem::describe).toList();
        assertThat(described).anySatisfy(p -> assertThat(p).contains("eventTypes.Reading").contains("built-in"))
                .anySatisfy(p -> assertThat(p).contains("eventTypes.9lives").contains("type name"))
                .anySatisfy(p -> assertThat(p).contains("eventTypes.Vibration.rms").contains("float")
                        .contains("[boolean, double, long, string]"))
                .anySatisfy(p -> assertThat(p).contains("eventTypes.Vibration.deviceId").contains("every event has"))
                .anySatisfy(p -> assertThat(p).contains("eventTypes.Vibration.peak").contains("expected one of"))
                .anySatisfy(p -> assertThat(p).contains("inputs[0].event").contains("Vibrations")
                        .contains("declared event type"))
                .anySatisfy(p -> assertThat(p).contains("inputs[1].fields.spike").contains("unknown field"));
    }

    @Test
    void coerce_recordedJsonValues_becomeTheDeclaredTypes() {
        EventTypes types = new EventTypes(Map.of("Meter", Map.of("kwh", "double", "pulses", "long")));

        Map<String, Object> typed = types.coerce("Meter", Map.of("kwh", 5, "pulses", 12));

        assertThat(typed).containsEntry("kwh", 5.0).containsEntry("pulses", 12L);
        assertThatThrownBy(() -> types.coerce("Meter", Map.of("kwh", "five")))
                .hasMessage("field 'fields.kwh': expected a number but found \"five\"");
        assertThatThrownBy(() -> types.coerce("Meter", Map.of("pulses", 2.5)))
                .hasMessage("field 'fields.pulses': expected a whole number from -2^63 to 2^63-1 but found 2.5");
        assertThatThrownBy(() -> types.coerce("Gauge", Map.of())).hasMessageContaining("Gauge");
    }

    @Test
    void convert_theOneConversionOfDecoderAndRulesTest_keepsWholeNumbersExactAndAcceptsTextForms() {
        assertThat(EventTypes.convert("long", 9_007_199_254_740_993L)).isEqualTo(9_007_199_254_740_993L);
        assertThat(EventTypes.convert("long", "9007199254740993")).isEqualTo(9_007_199_254_740_993L);
        assertThat(EventTypes.convert("long", "5.0")).isEqualTo(5L);
        assertThat(EventTypes.convert("string", 7)).isEqualTo("7");
        assertThat(EventTypes.convert("boolean", "1")).isEqualTo(true);
        assertThat(EventTypes.convert("boolean", false)).isEqualTo(false);
        assertThat(EventTypes.convert("double", "21.5")).isEqualTo(21.5);
        assertThat(EventTypes.convert("double", null)).isNull();
        assertThatThrownBy(() -> EventTypes.convert("boolean", "yes"))
                .hasMessage("expected true or false but found \"yes\"");
        assertThatThrownBy(() -> EventTypes.convert("long", "1e30"))
                .hasMessageStartingWith("expected a whole number");
    }
}
