package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The id recipe of docs/event-format.md, pinned by vectors from the reference XXH3 (python-xxhash 4.0.1). */
class EventIdsTest {

    private static final String TOPIC = "sensors/cold-room-1/temperature";
    private static final byte[] PAYLOAD = ("{\"deviceId\":\"cold-room-1\",\"type\":\"temperature\",\"value\":4.2,"
            + "\"unit\":\"C\",\"ts\":\"2026-11-22T08:15:30.250Z\"}").getBytes(StandardCharsets.UTF_8);

    @Test
    void of_documentedExample_givesTheDocumentedId() {
        // xxh3_128(topic 00 payload 00 00000000) = 92d225fb5c2841d4713b5038b049c852; version and variant bits set.
        assertThat(EventIds.of(TOPIC, PAYLOAD, 0)).isEqualTo("92d225fb-5c28-81d4-b13b-5038b049c852");
    }

    @Test
    void of_sameInputTwice_givesTheSameVersion8Id() {
        String id = EventIds.of(TOPIC, PAYLOAD, 1);

        assertThat(EventIds.of(TOPIC, PAYLOAD, 1)).isEqualTo(id);
        assertThat(UUID.fromString(id).version()).isEqualTo(8);
        assertThat(UUID.fromString(id).variant()).isEqualTo(2);
    }

    @Test
    void of_otherIndexTopicOrPayload_givesOtherIds() {
        String id = EventIds.of(TOPIC, PAYLOAD, 0);

        assertThat(EventIds.of(TOPIC, PAYLOAD, 1)).isNotEqualTo(id);
        assertThat(EventIds.of("sensors/cold-room-2/temperature", PAYLOAD, 0)).isNotEqualTo(id);
        assertThat(EventIds.of(TOPIC, new byte[] {'1'}, 0)).isNotEqualTo(id);
    }

    @Test
    void of_payloadLargerThanTheReusedInput_givesTheSameIdEveryTime() {
        byte[] large = new byte[5000];
        String first = EventIds.of(TOPIC, large, 0);

        EventIds.of(TOPIC, PAYLOAD, 0);
        assertThat(EventIds.of(TOPIC, large, 0)).isEqualTo(first).isNotEqualTo(EventIds.of(TOPIC, new byte[4999], 0));
    }
}
