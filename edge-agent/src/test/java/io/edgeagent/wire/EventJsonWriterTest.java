package io.edgeagent.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written JSON of readings and locations is byte for byte what Jackson's generator writes. */
class EventJsonWriterTest {

    private static final char[] ALPHABET = ("abcXYZ019 -_./:{}[],'\"\\\u0000\u0001\u0008\t\n\u000b\u000c\r\u001f"
            + "\u007f\u0080\u00e9\u20ac\ud83d\ude00\ud800").toCharArray();

    @Test
    void readingsAndLocationsMatchJacksonForRandomTextAndNumbers() {
        Random random = new Random(42);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long eventTime = random.nextBoolean() ? random.nextLong() : 1_795_335_330_000L + random.nextInt();
            if (random.nextInt(4) == 0) {
                events.add(new Location(text(random), text(random), number(random), number(random), optional(random),
                        optional(random), optional(random), eventTime, random.nextLong(), text(random)));
            } else {
                events.add(new Reading(text(random), text(random), text(random), number(random),
                        random.nextBoolean() ? text(random) : null, eventTime, random.nextLong(), text(random)));
            }
        }
        for (Event event : events) {
            assertThat(EventJson.toJson(event)).isEqualTo(EventJson.jacksonJson(event));
        }
    }

    @Test
    void nullTextAndNonFiniteNumbersAreWrittenAsJacksonWritesThem() {
        List<Event> events = List.of(
                new Reading(null, null, null, Double.NaN, null, 0, 0, null),
                new Reading("i", "d", "t", Double.POSITIVE_INFINITY, "u", -1, -2, "t"),
                new Location("i", "d", Double.NEGATIVE_INFINITY, -0.0, Double.NaN, null, 0.0, 1, 2, "x"));
        for (Event event : events) {
            assertThat(EventJson.toJson(event)).isEqualTo(EventJson.jacksonJson(event));
        }
    }

    private static String text(Random random) {
        int n = random.nextInt(3) == 0 ? 0 : random.nextInt(40);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(random.nextInt(3) == 0 ? ALPHABET[random.nextInt(ALPHABET.length)] : (char) random.nextInt(0x3000));
        }
        return b.toString();
    }

    private static double number(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> random.nextGaussian() * 100;
            case 1 -> Math.round(random.nextDouble() * 10_000) / 100.0;
            case 2 -> Double.longBitsToDouble(random.nextLong());
            case 3 -> random.nextInt(1000) - 500;
            default -> random.nextDouble() * 1e-5;
        };
    }

    private static Double optional(Random random) {
        return random.nextBoolean() ? null : number(random);
    }
}
