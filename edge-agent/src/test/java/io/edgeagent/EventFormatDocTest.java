package io.edgeagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.Placeholders;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/event-format.md is the contract between devices (and the simulator) and the agent: every example in sections
 * 1-5 is decoded here with the inputs of the repository's config.yaml, on the topic its section names, and must give
 * the events the section describes.
 */
class EventFormatDocTest {

    private static final Pattern SECTION = Pattern.compile("(?m)^## (\\d+)\\. (.*)$");
    private static final Pattern TOPIC = Pattern.compile("Topic: `([^`]+)`");
    private static final Pattern FENCE = Pattern.compile("(?s)```[a-z]*\\n(.*?)\\n```");
    private static final Pattern TIMESTAMP_KEY = Pattern.compile("\"(ts|Time|tst)\":");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RECEIVED = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();

    /** One documented example: its section, the topic with placeholders filled in, and the payload as printed. */
    record Example(int section, String title, String topic, String payload) {
    }

    private static MessageDecoder decoder;
    private static List<Example> examples;

    @BeforeAll
    static void readDocAndConfig() throws Exception {
        decoder = new MessageDecoder(new ConfigLoader(new Placeholders(name -> null))
                .load(TestConfigs.repositoryRoot().resolve("config.yaml")).inputs());
        examples = examples(Files.readString(TestConfigs.repositoryRoot().resolve("docs/event-format.md")));
    }

    /** What each section's example must decode to; a new example in the doc needs an entry here. */
    private static final Map<Integer, Consumer<List<Event>>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put(1, events -> assertThat(events).singleElement().isInstanceOfSatisfying(Reading.class, r -> {
            assertThat(r.deviceId()).isEqualTo("cold-room-1");
            assertThat(r.type()).isEqualTo("temperature");
            assertThat(r.value()).isEqualTo(4.2);
            assertThat(r.unit()).isEqualTo("C");
            assertThat(r.eventTime()).isEqualTo(millis("2026-11-22T08:15:30.250Z"));
            assertThat(r.topic()).isEqualTo("sensors/cold-room-1/temperature");
        }));
        EXPECTED.put(2, events -> assertThat(events).singleElement().isInstanceOfSatisfying(Location.class, l -> {
            assertThat(l.deviceId()).isEqualTo("truck-7");
            assertThat(l.lat()).isEqualTo(52.5201);
            assertThat(l.lon()).isEqualTo(13.4049);
            assertThat(l.accuracy()).isEqualTo(5.0);
            assertThat(l.speed()).isEqualTo(13.9);
            assertThat(l.heading()).isEqualTo(270.0);
            assertThat(l.eventTime()).isEqualTo(millis("2026-11-22T08:15:30Z"));
        }));
        EXPECTED.put(3, events -> assertThat(events).singleElement().isInstanceOfSatisfying(Reading.class, r -> {
            assertThat(r.deviceId()).isEqualTo("dev-1");
            assertThat(r.type()).isEqualTo("temperature");
            assertThat(r.value()).isEqualTo(21.5);
            assertThat(r.eventTime()).as("no time in a raw payload: the receive time").isEqualTo(RECEIVED);
        }));
        EXPECTED.put(4, events -> {
            assertThat(events).hasSize(2).allSatisfy(e -> {
                assertThat(e.deviceId()).isEqualTo("dev-1");
                assertThat(e.eventTime()).as("Time read as UTC").isEqualTo(millis("2026-11-22T08:15:30Z"));
            });
            assertThat(events).map(e -> ((Reading) e).type()).containsExactly("temperature", "humidity");
            assertThat(events).map(e -> ((Reading) e).value()).containsExactly(21.3, 45.0);
            assertThat(events).map(e -> ((Reading) e).unit()).containsExactly("C", "%");
        });
        EXPECTED.put(5, events -> assertThat(events).singleElement().isInstanceOfSatisfying(Location.class, l -> {
            assertThat(l.deviceId()).isEqualTo("dev-1");
            assertThat(l.lat()).isEqualTo(52.5201);
            assertThat(l.lon()).isEqualTo(13.4049);
            assertThat(l.accuracy()).isEqualTo(10.0);
            assertThat(l.speed()).as("vel 50 km/h in m/s").isCloseTo(50 / 3.6, within(1e-9));
            assertThat(l.heading()).isEqualTo(270.0);
            assertThat(l.eventTime()).as("tst in epoch seconds").isEqualTo(1_763_799_330_000L);
        }));
    }

    @Test
    void eventFormatDoc_sectionsOneToFive_eachHaveATopicAndExactlyOneExample() {
        assertThat(examples).extracting(Example::section).containsExactly(1, 2, 3, 4, 5);
        assertThat(examples).allSatisfy(e -> assertThat(e.topic()).doesNotContain("<", ">", "+", "#"));
    }

    @Test
    void eventFormatDoc_everyExample_decodesToTheEventsItsSectionDescribes() throws Exception {
        for (Example example : examples) {
            List<Event> events = decoder.decode(example.topic(), example.payload().getBytes(StandardCharsets.UTF_8),
                    RECEIVED);

            assertThat(EXPECTED).as("expectation for section %d", example.section()).containsKey(example.section());
            try {
                EXPECTED.get(example.section()).accept(events);
            } catch (AssertionError e) {
                throw new AssertionError("docs/event-format.md section " + example.section() + " ("
                        + example.title() + "), " + example.topic() + " " + example.payload() + ": " + e.getMessage(), e);
            }
            assertThat(events).allSatisfy(ev -> assertThat(ev.topic()).isEqualTo(example.topic()));
        }
    }

    /**
     * "Event ids and duplicates": an example with a timestamp (ts, Time, tst) delivered twice gives the same ids; one
     * without (the raw number) gets new ids at another receive time; no two examples share an id.
     */
    @Test
    void eventFormatDoc_everyExampleDeliveredTwice_keepsItsIdsExactlyWhenItHasATimestamp() throws Exception {
        List<String> allIds = new ArrayList<>();
        for (Example example : examples) {
            byte[] payload = example.payload().getBytes(StandardCharsets.UTF_8);
            boolean timestamped = TIMESTAMP_KEY.matcher(example.payload()).find();
            List<String> first = decoder.decode(example.topic(), payload, RECEIVED).stream().map(Event::id).toList();
            List<String> again = decoder.decode(example.topic(), payload, RECEIVED + 5_000).stream().map(Event::id).toList();

            if (timestamped) {
                assertThat(again).as("redelivery of %s", example.topic()).isEqualTo(first);
            } else {
                assertThat(again).as("same bytes again on %s", example.topic()).doesNotContainAnyElementsOf(first);
            }
            allIds.addAll(first);
        }
        assertThat(examples).as("the doc shows both kinds").anyMatch(e -> TIMESTAMP_KEY.matcher(e.payload()).find())
                .anyMatch(e -> !TIMESTAMP_KEY.matcher(e.payload()).find());
        assertThat(allIds).doesNotHaveDuplicates();
    }

    /** Section 5: "other OwnTracks message types (transition, lwt, ...) are ignored", not dead-lettered. */
    @Test
    void eventFormatDoc_ownTracksOtherTypes_areIgnored() throws Exception {
        Example ownTracks = examples.stream().filter(e -> e.section() == 5).findFirst().orElseThrow();
        for (String type : List.of("transition", "lwt")) {
            String payload = ownTracks.payload().replace("\"_type\":\"location\"", "\"_type\":\"" + type + "\"");
            assertThat(payload).contains(type);

            assertThat(decoder.decode(ownTracks.topic(), payload.getBytes(StandardCharsets.UTF_8), RECEIVED)).isEmpty();
        }
    }

    /** Sections 1 and 2: "id ... when present the agent uses it as the event id"; "ts missing means received". */
    @Test
    void eventFormatDoc_jsonExamplesWithIdAndWithoutTs_followTheFieldTables() throws Exception {
        for (Example example : examples.stream().filter(e -> e.section() <= 2).toList()) {
            JsonNode node = JSON.readTree(example.payload());
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("ts");
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("id", "device-msg-1");

            List<Event> events = decoder.decode(example.topic(), JSON.writeValueAsBytes(node), RECEIVED);

            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.id()).isEqualTo("device-msg-1");
                assertThat(e.eventTime()).isEqualTo(RECEIVED);
            });
        }
    }

    static List<Example> examples(String doc) throws IOException {
        List<Example> found = new ArrayList<>();
        Matcher section = SECTION.matcher(doc);
        List<int[]> bounds = new ArrayList<>();
        List<String[]> headings = new ArrayList<>();
        while (section.find()) {
            bounds.add(new int[] {section.start(), section.end()});
            headings.add(new String[] {section.group(1), section.group(2)});
        }
        for (int i = 0; i < bounds.size(); i++) {
            int end = i + 1 < bounds.size() ? bounds.get(i + 1)[0] : nextHeading(doc, bounds.get(i)[1]);
            String body = doc.substring(bounds.get(i)[1], end);
            int number = Integer.parseInt(headings.get(i)[0]);
            if (number < 1 || number > 5) {
                continue;
            }
            Matcher topic = TOPIC.matcher(body);
            assertThat(topic.find()).as("section %d names its topic as Topic: `...`", number).isTrue();
            Matcher fence = FENCE.matcher(body);
            while (fence.find()) {
                String payload = fence.group(1).strip();
                found.add(new Example(number, headings.get(i)[1], concreteTopic(topic.group(1), payload), payload));
            }
        }
        return found;
    }

    private static int nextHeading(String doc, int from) {
        int next = doc.indexOf("\n## ", from);
        return next < 0 ? doc.length() : next;
    }

    /** Fills the topic's placeholders: from the payload when it names them, else with fixed ids. */
    private static String concreteTopic(String pattern, String payload) throws IOException {
        JsonNode json = payload.startsWith("{") ? JSON.readTree(payload) : JSON.createObjectNode();
        return pattern.replace("<deviceId>", json.path("deviceId").asText("dev-1"))
                .replace("<type>", json.path("type").asText("temperature"))
                .replace("<user>", "alice");
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
