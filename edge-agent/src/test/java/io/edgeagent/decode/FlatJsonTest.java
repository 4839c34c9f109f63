package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The flat fast path gives Jackson's tree or declines; it never gives a different answer. */
class FlatJsonTest {

    private static final String[] VALUES = {"\"sensor-00025\"", "\"temperature\"", "4.24", "-0", "-0.0", "0", "12",
        "2147483647", "2147483648", "-2147483649", "1795310411722", "123456789012345678", "1234567890123456789",
        "1e5", "1E-3", "2.5e+2", "1e400", "01", "1.", ".5", "-", "+1", "true", "false", "null", "nul", "truex",
        "\"\"", "\"a\\\"b\"", "\"caf\u00e9\"", "\"tab\there\"", "{}", "[1]", "{\"x\":1}", "\"2026-12-01T07:39:40.384Z\""};
    private static final String[] NAMES = {"deviceId", "type", "value", "unit", "ts", "id", "", "a b", "x\\u0041"};
    private static final String[] SPACE = {"", "", " ", "\n", "\t ", "\r\n"};

    @Test
    void simulatorPayloadTakesTheFastPathAndEqualsJacksonsTree() throws Exception {
        byte[] payload = "{\"deviceId\":\"sensor-00025\",\"type\":\"temperature\",\"value\":4.24,\"unit\":\"C\",\"ts\":\"2026-12-01T07:39:40.384Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(FlatJson.parse(payload)).isNotNull().isEqualTo(Json.parsed(payload));
    }

    @Test
    void randomFlatAndBrokenPayloadsAgreeWithJackson() {
        Random random = new Random(11);
        int fast = 0;
        for (int n = 0; n < 50_000; n++) {
            String text = payload(random);
            if (random.nextInt(4) == 0 && !text.isEmpty()) {
                // Damage: drop, duplicate or replace one character.
                int at = random.nextInt(text.length());
                String damage = "{}\":, x0-.e\u00e9";
                String c = String.valueOf(damage.charAt(random.nextInt(damage.length())));
                text = switch (random.nextInt(3)) {
                    case 0 -> text.substring(0, at) + text.substring(at + 1);
                    case 1 -> text.substring(0, at) + text.charAt(at) + text.substring(at);
                    default -> text.substring(0, at) + c + text.substring(at + 1);
                };
            }
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            JsonNode flat = FlatJson.parse(payload);
            JsonNode jackson;
            try {
                jackson = Json.parsed(payload);
            } catch (DecodeException e) {
                assertThat(flat).as(text).isNull();
                continue;
            }
            if (flat != null) {
                fast++;
                assertThat(flat).as(text).isEqualTo(jackson);
                // Same node types too (equals of numeric nodes does not compare across types).
                String shown = text;
                jackson.properties().forEach(e -> assertThat(flat.get(e.getKey()).getClass()).as(shown)
                        .isEqualTo(e.getValue().getClass()));
            }
        }
        assertThat(fast).isGreaterThan(5_000);
    }

    @Test
    void invalidJsonStillGetsJacksonsReason() {
        assertThatThrownBy(() -> Json.object("{\"value\": 01}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DecodeException.class).hasMessageStartingWith("payload is not valid JSON at column");
        assertThatThrownBy(() -> Json.object("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DecodeException.class).hasMessage("payload: expected a JSON object but found array");
    }

    @Test
    void contentAfterTheObject_isAnError_notSilentlyDropped() {
        for (String payload : List.of("{\"deviceId\":\"a\",\"value\":1}{\"deviceId\":\"b\",\"value\":2}",
                "{\"value\": 1} garbage", "{\"value\": {\"nested\": 1}} {}")) {
            assertThatThrownBy(() -> Json.object(payload.getBytes(StandardCharsets.UTF_8))).as(payload)
                    .isInstanceOf(DecodeException.class).hasMessageStartingWith("payload is not valid JSON");
        }
    }

    private static String payload(Random random) {
        StringBuilder b = new StringBuilder(SPACE[random.nextInt(SPACE.length)]).append('{');
        int fields = random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            if (f > 0) {
                b.append(',');
            }
            b.append(SPACE[random.nextInt(SPACE.length)]).append('"').append(NAMES[random.nextInt(NAMES.length)])
                    .append('"').append(SPACE[random.nextInt(SPACE.length)]).append(':')
                    .append(SPACE[random.nextInt(SPACE.length)]).append(VALUES[random.nextInt(VALUES.length)])
                    .append(SPACE[random.nextInt(SPACE.length)]);
        }
        b.append('}');
        if (random.nextInt(10) == 0) {
            b.append(random.nextBoolean() ? " " : " x");
        }
        return b.toString();
    }
}
