package io.edgeagent.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.Placeholders;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.logtext.ControlChars;
import io.edgeagent.wire.EventJson;
import io.edgeagent.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Every decoder (edge-agent JSON readings and locations, raw numbers, Tasmota, OwnTracks, a declared event type) fed
 * hostile input: random bytes, random and deeply nested JSON, huge numbers, odd Unicode, odd timestamps, huge strings.
 * The invariant is "events or a DecodeException, nothing else", and every event is one the rest of the agent can hold
 * (a time inside the window, finite numbers, bounded identifiers, serialisable). Failing seeds are kept below as
 * {@code @Example}s.
 */
class DecoderFuzzTest {

    private static final long RECEIVED = Instant.parse("2026-11-22T09:00:00Z").toEpochMilli();
    private static final EventTimeWindow WINDOW = EventTimeWindow.defaults();
    private static final EventTypes DECLARED = new EventTypes(Map.of("Vibration",
            Map.of("rms", "double", "axis", "string", "count", "long", "on", "boolean")));
    private static final MessageDecoder DECODER = decoder();
    /** One topic per input of the repository's config.yaml, and one of a declared type. */
    private static final List<String> TOPICS = List.of("sensors/d-1/temperature", "trackers/t-7/location",
            "raw/pump/pressure", "tele/kitchen/SENSOR", "owntracks/anna/phone", "machines/press-1/vibration");
    private static final List<String> KEYS = List.of("deviceId", "type", "value", "unit", "ts", "id", "lat", "lon",
            "accuracy", "speed", "heading", "Time", "TempUnit", "AM2301", "Temperature", "_type", "tst", "vel", "acc",
            "cog", "rms", "axis", "count", "on", "");

    private static MessageDecoder decoder() {
        try {
            List<InputConfig> inputs = new ArrayList<>(new ConfigLoader(new Placeholders(name -> null))
                    .load(TestConfigs.repositoryRoot().resolve("config.yaml")).inputs());
            inputs.add(new InputConfig("vibration", "machines/+/vibration", "json", "Vibration", Map.of()));
            return new MessageDecoder(inputs, DECLARED, WINDOW);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The invariant of every property here (anything but a {@link DecodeException} propagates and fails the property);
     * returns which of the two outcomes it was, for coverage checks. */
    private static String decodesOrExplains(String topic, byte[] payload) {
        List<Event> events;
        try {
            events = DECODER.decode(topic, payload, RECEIVED);
        } catch (DecodeException e) {
            assertThat(ControlChars.escape(e.getMessage())).as("reason is one printable line").isEqualTo(e.getMessage());
            return "refused";
        }
        for (Event event : events) {
            assertThat(event.eventTime()).as("event time").isBetween(WINDOW.earliestMillis(),
                    WINDOW.latestMillis(RECEIVED));
            assertThat(event.deviceId()).isNotEmpty().hasSizeLessThanOrEqualTo(Fields.MAX_TEXT);
            assertThat(event.id()).isNotEmpty().hasSizeLessThanOrEqualTo(Fields.MAX_TEXT);
            if (event instanceof Reading r) {
                assertThat(Double.isFinite(r.value())).as("value %s is finite", r.value()).isTrue();
                assertThat(r.type()).isNotEmpty().hasSizeLessThanOrEqualTo(Fields.MAX_TEXT);
            } else if (event instanceof Location l) {
                assertThat(l.lat()).isBetween(-90.0, 90.0);
                assertThat(l.lon()).isBetween(-180.0, 180.0);
            } else {
                assertThat(event).isInstanceOf(DeclaredEvent.class);
            }
            assertThat(EventJson.toJson(event)).as("stored form").startsWith("{");
        }
        return "decoded";
    }

    private static String decodesOrExplains(String topic, String payload) {
        return decodesOrExplains(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Both outcomes must occur, or the generator has drifted away from what the decoders accept. */
    private static void bothOutcomes(String outcome) {
        Statistics.collect(outcome);
        Statistics.coverage(checker -> {
            checker.check("decoded").count(n -> n > 0);
            checker.check("refused").count(n -> n > 0);
        });
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 1000)
    void decode_randomBytes_eventsOrDecodeException(@ForAll("topics") String topic,
                                                     @ForAll @Size(max = 300) byte[] payload) {
        decodesOrExplains(topic, payload);
    }

    @Property(tries = 500)
    void decode_hostileJson_eventsOrDecodeException(@ForAll("knownTopics") String topic,
                                                    @ForAll("hostileJson") String json) {
        decodesOrExplains(topic, json);
    }

    @Property(tries = 1000)
    void decode_hostileFlatJson_eventsOrDecodeException(@ForAll("knownTopics") String topic,
                                                        @ForAll("flatJson") String json) {
        bothOutcomes(decodesOrExplains(topic, json));
    }

    @Property(tries = 1000)
    void decode_anyTimestampInEveryDecoder_inTheWindowOrRefused(@ForAll("knownTopics") String topic,
                                                                @ForAll("timestamps") String ts) {
        bothOutcomes(decodesOrExplains(topic, validPayloadWithTime(topic, ts)));
    }

    @Property(tries = 30)
    void decode_deeplyNestedJson_eventsOrDecodeException(@ForAll("knownTopics") String topic,
                                                         @ForAll("deepJson") String nested) {
        decodesOrExplains(topic, validPayloadWithTime(topic, nested));
        decodesOrExplains(topic, nested);
    }

    @Property(tries = 10)
    void decode_hugeStrings_eventsOrDecodeException(@ForAll("knownTopics") String topic,
                                                    @ForAll("hugeStrings") String huge) {
        String quoted = jsonString(huge);
        decodesOrExplains(topic, "{\"deviceId\":" + quoted + ",\"type\":" + quoted + ",\"value\":1,\"ts\":" + quoted
                + ",\"Time\":" + quoted + ",\"_type\":\"location\",\"lat\":1,\"lon\":2,\"AM2301\":{" + quoted + ":1}}");
        decodesOrExplains(topic, huge);
    }

    /** The fast path for flat payloads never answers differently from Jackson; it may only decline. */
    @Property(tries = 1000)
    void flatJson_hostileFlatJson_declinesOrEqualsJackson(@ForAll("flatJson") String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        JsonNode flat = FlatJson.parse(payload);
        if (flat == null) {
            return;
        }
        try {
            assertThat(flat).isEqualTo(Json.parsed(payload));
        } catch (DecodeException e) {
            throw new AssertionError("the fast path accepted what Jackson rejects: " + json, e);
        }
    }

    // ---------------------------------------------------------------- regressions and the issue's cases

    @Example
    void decode_farFutureIsoTimestamp_isARefusalNotAnOverflow() {
        String reason = refusal("sensors/x/t",
                "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":\"+999999999-12-31T23:59:59Z\"}");
        assertThat(reason).contains("field 'timestamp'").contains("pipeline.eventTime")
                .contains("+999999999-12-31T23:59:59Z");
    }

    @Example
    void decode_farFutureTasmotaTime_isARefusal() {
        assertThat(refusal("tele/tz/SENSOR", "{\"Time\":\"+999999999-12-31T23:59:59\",\"AM2301\":{\"Temperature\":21.3}}"))
                .contains("field 'Time'").contains("pipeline.eventTime");
    }

    @Example
    void decode_timestampBeyondALong_isARefusalNotLongMaxValue() {
        assertThat(refusal("sensors/x/t", "{\"deviceId\":\"x\",\"type\":\"t\",\"value\":1,\"ts\":99999999999999999999}"))
                .contains("99999999999999999999").contains("pipeline.eventTime.earliest");
    }

    @Example
    void decode_infiniteTasmotaValue_isARefusal() {
        assertThat(refusal("tele/tz/SENSOR", "{\"AM2301\":{\"Temperature\":1e400}}")).contains("finite");
    }

    @Example
    void decode_deviceIdWithNewline_reasonStaysOneLine() {
        String reason = refusal("sensors/x/t", "{\"deviceId\":\"a\\nFAKE LOG LINE\",\"type\":\"t\",\"value\":\"v\"}");
        assertThat(reason).doesNotContain("\n");
    }

    /** Found by decode_hostileJson (seed -6416924747541208352): a reading whose type was the empty string. */
    @Example
    void decode_tasmotaValueWithEmptyName_isARefusal() {
        assertThat(refusal("tele/kitchen/SENSOR", "{\"deviceId\":{\"\":0}}")).contains("expected a name of 1 to 256");
    }

    private static String refusal(String topic, String payload) {
        try {
            DECODER.decode(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
        } catch (DecodeException e) {
            return e.getMessage();
        }
        throw new AssertionError("decoded: " + payload);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<String> knownTopics() {
        return Arbitraries.of(TOPICS);
    }

    @Provide
    Arbitrary<String> topics() {
        Arbitrary<String> levels = Arbitraries.oneOf(Arbitraries.of("sensors", "tele", "raw", "owntracks", "trackers",
                "machines", "SENSOR", "location", "vibration", "+", "#", "", "$SYS"), oddText(12))
                .list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, knownTopics()), net.jqwik.api.Tuple.of(1, levels));
    }

    /** Characters that break things: controls, NUL, RTL marks, lone and paired surrogates, noncharacters, anything. */
    private static Arbitrary<String> oddText(int maxLength) {
        Arbitrary<Character> odd = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.of('\u007f', '\u0085', '\u009b', '\u200e', '\u202e', '\u2028', '\u2066', '\ufeff', '\ufffe',
                        '\uffff', '\ufdd0', '/', '+', '#', '"', '\\', '{', '}', '%', '?', '&', '.'),
                Arbitraries.chars().range('\ud800', '\udfff'),
                Arbitraries.chars().all(),
                Arbitraries.chars().alpha());
        Arbitrary<String> nonBmp = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
        return Arbitraries.oneOf(odd.map(String::valueOf), nonBmp).list().ofMaxSize(maxLength)
                .map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> hostileJson() {
        return Arbitraries.recursive(this::scalar, this::container, 0, 3);
    }

    /** Objects of scalars, mostly with the members the decoders read: the shape of nearly every real payload. */
    @Provide
    Arbitrary<String> flatJson() {
        return container(scalar());
    }

    private Arbitrary<String> scalar() {
        return Arbitraries.oneOf(numbers(), oddText(20).map(DecoderFuzzTest::jsonString), timestamps(),
                Arbitraries.of("true", "false", "null", "\"location\"", "\"C\"", "\"d-1\"", "NaN", "Infinity", "-",
                        "01", "1.", ".5", "+1", "nul", "{", "]", ""));
    }

    private Arbitrary<String> container(Arbitrary<String> inner) {
        Arbitrary<String> member = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(KEYS),
                oddText(8)).map(DecoderFuzzTest::jsonString), inner).as((k, v) -> k + ":" + v);
        Arbitrary<String> object = member.list().ofMaxSize(6).map(m -> "{" + String.join(",", m) + "}");
        Arbitrary<String> array = inner.list().ofMaxSize(3).map(m -> "[" + String.join(",", m) + "]");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, object), net.jqwik.api.Tuple.of(1, array));
    }

    /** Numbers as JSON text: ordinary, at and beyond a long's bounds, with exponents, with hundreds of digits. */
    private static Arbitrary<String> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)),
                        new java.math.BigInteger("1" + "0".repeat(30))).map(String::valueOf),
                Arbitraries.strings().numeric().ofMaxLength(1200).map(d -> "9" + d),
                Arbitraries.of("1e400", "-1e400", "1e-400", "1E+308", "4.9e-324", "-0", "-0.0", "0", "1795335330",
                        "1795335330250", "1795335330.25", "9223372036854775807", "-9223372036854775808",
                        "9223372036854775808", "99999999999999999999", "1e11", "99999999999", "-99999999999"));
    }

    /** Event times as devices (and broken devices) write them: ISO forms over the whole Instant range, epochs, junk. */
    @Provide
    Arbitrary<String> timestamps() {
        Arbitrary<Instant> anyInstant = Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                .map(Instant::ofEpochSecond);
        Arbitrary<Instant> nearNow = Arbitraries.longs().between(-3 * 86_400_000L, 3 * 86_400_000L)
                .map(offset -> Instant.ofEpochMilli(RECEIVED + offset));
        Arbitrary<String> iso = Arbitraries.oneOf(anyInstant, nearNow).map(Instant::toString);
        Arbitrary<String> zoneless = iso.map(t -> t.endsWith("Z") ? t.substring(0, t.length() - 1) : t);
        Arbitrary<String> withOffset = iso.map(t -> t.endsWith("Z") ? t.substring(0, t.length() - 1) + "+14:00" : t);
        Arbitrary<String> epochs = Arbitraries.oneOf(nearNow.map(i -> String.valueOf(i.toEpochMilli())),
                nearNow.map(i -> String.valueOf(i.getEpochSecond())),
                nearNow.map(i -> i.getEpochSecond() + "." + (i.toEpochMilli() % 1000)));
        Arbitrary<String> asStrings = Arbitraries.oneOf(iso, zoneless, withOffset, epochs, numbers(), oddText(30),
                Arbitraries.of("NaN", "Infinity", "-Infinity", "0x10", "1e3", "", " ", "2026-02-30T00:00:00Z",
                        "2026-11-22T24:00:00Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                        "+1000000000-12-31T23:59:59.999999999Z", "+999999999-12-31T23:59:59")).map(DecoderFuzzTest::jsonString);
        return Arbitraries.oneOf(asStrings, numbers(), epochs);
    }

    @Provide
    Arbitrary<String> deepJson() {
        return Arbitraries.integers().between(1, 10_000).flatMap(depth -> Arbitraries.of(
                "{\"a\":".repeat(depth) + "1" + "}".repeat(depth),
                "[".repeat(depth) + "]".repeat(depth),
                "[".repeat(depth),
                "{\"a\":[".repeat(depth) + "\"x\"" + "]}".repeat(depth)));
    }

    @Provide
    Arbitrary<String> hugeStrings() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1_000, 1_000_000).map("x"::repeat),
                Arbitraries.integers().between(1_000, 200_000).map("9"::repeat),
                Arbitraries.integers().between(1_000, 50_000).map("\ud83d\ude00\u202e\u0000"::repeat));
    }

    // ---------------------------------------------------------------- payload building

    /** A payload the topic's decoder accepts, with {@code time} (JSON text) where that decoder reads the event time. */
    private static String validPayloadWithTime(String topic, String time) {
        return switch (topic.substring(0, topic.indexOf('/'))) {
            case "sensors" -> "{\"deviceId\":\"d-1\",\"type\":\"temperature\",\"value\":4.2,\"ts\":" + time + "}";
            case "trackers" -> "{\"deviceId\":\"t-7\",\"lat\":52.5,\"lon\":13.4,\"ts\":" + time + "}";
            case "tele" -> "{\"Time\":" + time + ",\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45}}";
            case "owntracks" -> "{\"_type\":\"location\",\"lat\":52.5,\"lon\":13.4,\"tst\":" + time + "}";
            case "machines" -> "{\"deviceId\":\"press-1\",\"rms\":5.2,\"count\":3,\"on\":true,\"ts\":" + time + "}";
            default -> time;
        };
    }

    /** A JSON string literal of any Java string, lone surrogates included (as escapes, which JSON allows). */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
