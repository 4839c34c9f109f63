package io.edgeagent.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written JSON of a field map (an action run's fields) is byte for byte what Jackson writes. */
class JsonTextTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final char[] ALPHABET = ("abcXYZ019 -_./:{}[],'\"\\\u0000\u0001\u0008\t\n\u000b\u000c\r\u001f"
            + "\u007f\u0080\u00e9\u20ac\ud83d\ude00\ud800").toCharArray();

    @Test
    void object_randomFieldsOfEveryTypeARuleOutputs_matchesJackson() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            int n = random.nextInt(6);
            for (int f = 0; f < n; f++) {
                fields.put(text(random), value(random, 2));
            }
            assertThat(JsonText.object(fields)).isEqualTo(JACKSON.writeValueAsString(fields));
        }
    }

    @Test
    void object_nonFiniteNumbersNullsAndOtherTypes_matchJackson() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nan", Double.NaN);
        fields.put("inf", Double.NEGATIVE_INFINITY);
        fields.put("floatNan", Float.NaN);
        fields.put("none", null);
        fields.put("char", 'c');
        fields.put("uuid", UUID.fromString("00000000-0000-0000-0000-00000000002a"));
        fields.put("array", new int[] {1, 2});
        fields.put("numberKeys", Map.of(1, "one"));
        assertThat(JsonText.object(fields)).isEqualTo(JACKSON.writeValueAsString(fields));
    }

    /** Where the caller used to fail on a value Jackson cannot write, the run is recorded with the value as text. */
    @Test
    void object_valueJacksonCannotWrite_isWrittenAsItsText() {
        assertThat(JsonText.object(Map.of("at", Instant.ofEpochMilli(5)))).isEqualTo("{\"at\":\"1970-01-01T00:00:00.005Z\"}");
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 12 : 10)) {
            case 0 -> text(random);
            case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 2 -> random.nextInt();
            case 3 -> random.nextLong();
            case 4 -> random.nextBoolean();
            case 5 -> null;
            case 6 -> random.nextFloat();
            case 7 -> new BigDecimal(random.nextInt()).movePointLeft(random.nextInt(8));
            case 8 -> BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(70));
            case 9 -> (short) random.nextInt();
            case 10 -> {
                List<Object> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(value(random, depth - 1));
                }
                yield items;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(text(random), value(random, depth - 1));
                }
                yield map;
            }
        };
    }

    private static String text(Random random) {
        char[] chars = new char[random.nextInt(12)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
