package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.ExecAction;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.RuleFileReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.internal.wire.MqttWireMessage;

/**
 * Field values are data, never structure (docs/security.md), for any value a device can send: a rendered MQTT topic
 * has the template's levels and no wildcard or NUL, and the MQTT client can send and receive it; a rendered URL
 * parses and keeps the template's host, path and query; an exec argument reaches the program as one argument.
 * Refusals happen exactly for the values that would break that, never for others. Failing seeds are kept as
 * {@code @Example}s.
 */
class TemplateFuzzTest {

    private static final String TOPIC = "actuators/{deviceId}/command";
    private static final String URL = "http://127.0.0.1:8080/api/{deviceId}/command?device={deviceId}&fixed=1#top";

    // ---------------------------------------------------------------- MQTT topics

    @Property(tries = 500)
    void topic_anyValue_staysOneLevelOrIsRefused(@ForAll("values") String value) throws Exception {
        String topic;
        try {
            topic = Template.topic(TOPIC, Map.of("deviceId", value));
        } catch (RefusedValue e) {
            Statistics.collect("refused");
            assertThat(Template.topicLevelProblem(value)).as("refused only for a reason").isNotNull();
            assertThat(e.getMessage()).startsWith("refused: field deviceId").doesNotContain("\n");
            return;
        }
        Statistics.collect("rendered");
        assertThat(Template.topicLevelProblem(value)).as("a value with a problem is never rendered").isNull();
        assertThat(topic.split("/", -1)).containsExactly("actuators", value, "command");
        assertThat(topic).doesNotContain("+", "#", "\u0000");
        MqttTopic.validate(topic, false);
        assertThat(throughPaho(topic)).as("what the MQTT client sends and reads back").isEqualTo(topic);
        Statistics.coverage(checker -> checker.check("refused").count(n -> n > 0));
    }

    @Property(tries = 300)
    void topic_valueAtTheStart_neverMakesABrokerTopic(@ForAll("values") String value) {
        try {
            String topic = Template.topic("{site}/alarm", Map.of("site", value));
            assertThat(topic).doesNotStartWith("$").endsWith("/alarm");
            assertThat(topic.split("/", -1)).hasSize(2);
        } catch (RefusedValue e) {
            assertThat(Template.topicLevelProblem(value) != null || value.startsWith("$")).isTrue();
        }
    }

    /** The MQTT client's own encoding (which validates) and decoding of a topic. */
    private static String throughPaho(String topic) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MqttWireMessage.encodeUTF8(new DataOutputStream(bytes), topic);
        return MqttWireMessage.decodeUTF8(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    // ---------------------------------------------------------------- URLs

    @Property(tries = 500)
    void url_anyValue_keepsTheTemplatesHostPathAndQuery(@ForAll("values") String value) throws Exception {
        String url;
        try {
            url = Template.url(URL, Map.of("deviceId", value));
        } catch (RefusedValue e) {
            assertThat(value).isIn(".", "..");
            return;
        }
        URI uri = URI.create(url);
        HttpRequest.newBuilder(uri);
        assertThat(uri.getScheme()).isEqualTo("http");
        assertThat(uri.getHost()).isEqualTo("127.0.0.1");
        assertThat(uri.getPort()).isEqualTo(8080);
        String[] path = uri.getRawPath().split("/", -1);
        assertThat(path).hasSize(4);
        assertThat(path[1]).isEqualTo("api");
        assertThat(path[3]).isEqualTo("command");
        String[] query = uri.getRawQuery().split("&", -1);
        assertThat(query).hasSize(2);
        assertThat(query[0]).startsWith("device=");
        assertThat(query[1]).isEqualTo("fixed=1");
        assertThat(uri.getRawFragment()).isEqualTo("top");
        if (StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            assertThat(URLDecoder.decode(path[2], StandardCharsets.UTF_8)).isEqualTo(value);
            assertThat(URLDecoder.decode(query[0].substring("device=".length()), StandardCharsets.UTF_8))
                    .isEqualTo(value);
        }
    }

    @Property(tries = 300)
    void url_valueInTheHost_isAHostNameOrRefused(@ForAll("values") String value) {
        try {
            URI uri = URI.create(Template.url("http://{deviceId}.devices.example/x", Map.of("deviceId", value)));
            assertThat(uri.getRawPath()).isEqualTo("/x");
            assertThat(uri.getRawQuery()).isNull();
            assertThat(uri.getRawUserInfo()).isNull();
        } catch (RefusedValue e) {
            assertThat(value).doesNotMatch("[A-Za-z0-9.-]+");
        } catch (IllegalArgumentException e) {
            // A host name with, say, an empty label: URI refuses it, and HttpStep reports that as a bad URL.
            assertThat(value).matches("[A-Za-z0-9.-]+");
        }
    }

    // ---------------------------------------------------------------- exec arguments

    /** A real program: printf writes each argument followed by NUL, so the arguments can be counted and compared. */
    @Property(tries = 40)
    void exec_anyValues_eachStaysOneArgument(@ForAll("values") String a, @ForAll("values") String b) throws Exception {
        ExecAction exec = (ExecAction) step("  - type: exec",
                "    command: [/usr/bin/printf, '%s\\0', '{a}', 'x{b}y', '{a} {b}']");
        String output;
        try {
            output = new ExecStep(List.of()).run(exec, Map.of("a", a, "b", b), Duration.ofSeconds(10));
        } catch (RefusedValue e) {
            assertThat(a.indexOf('\0') >= 0 || b.indexOf('\0') >= 0).isTrue();
            return;
        }
        String[] arguments = output.split("\0", -1);
        assertThat(arguments).hasSize(4);
        assertThat(arguments[3]).isEmpty();
        Charset platform = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        String[] expected = {a, "x" + b + "y", a + " " + b};
        // Each argument on its own: a ending in a high surrogate and b starting with a low one make a + b encodable
        // while a and b alone are not (the JDK passes them as "?").
        if (Arrays.stream(expected).allMatch(argument -> platform.newEncoder().canEncode(argument)
                && StandardCharsets.UTF_8.newEncoder().canEncode(argument))) {
            assertThat(Arrays.copyOf(arguments, 3)).containsExactly(expected);
        }
    }

    /** The case a CI run drew: two halves of one surrogate pair, one in each value. */
    @Example
    void exec_surrogateHalvesInTwoValues_eachStaysOneArgument() throws Exception {
        exec_anyValues_eachStaysOneArgument("\ud83d", "\ude00");
    }

    private static ActionSpec step(String... lines) throws Exception {
        String text = "name: r\nepl: select * from Reading\nactions:\n" + String.join("\n", lines) + "\n";
        return new RuleFileReader(new Placeholders(name -> null)).parse(Path.of("t.yaml"), text).actions().get(0);
    }

    // ---------------------------------------------------------------- the issue's cases

    @Example
    void topic_deviceIdWithDotDotSlash_isRefusedNamingTheField() {
        try {
            Template.topic(TOPIC, Map.of("deviceId", "../x"));
            throw new AssertionError("rendered");
        } catch (RefusedValue e) {
            assertThat(e.getMessage()).isEqualTo("refused: field deviceId (\"../x\") cannot go into the topic "
                    + TOPIC + ": it contains '/', which would add a topic level");
        }
    }

    @Example
    void url_deviceIdWithQueryAndFragment_staysInItsPathSegment() throws RefusedValue {
        assertThat(Template.url("http://hooks.local/devices/{deviceId}?token=abc", Map.of("deviceId", "h2?x=1#frag")))
                .isEqualTo("http://hooks.local/devices/h2%3Fx%3D1%23frag?token=abc");
    }

    /** rules test shows what the agent would do, refusals included. */
    @Example
    void preview_refusedValue_showsTheRefusal() throws Exception {
        ActionSpec mqtt = step("  - type: mqtt", "    topic: actuators/{deviceId}/command", "    payload: stop");

        assertThat(ActionPreview.describe(mqtt, Map.of("deviceId", "../x"))).startsWith("mqtt refused: field deviceId");
        assertThat(ActionPreview.describe(mqtt, Map.of("deviceId", "fan-1")))
                .isEqualTo("mqtt actuators/fan-1/command qos 1 stop");
    }

    /**
     * Characters MQTT forbids or discourages are refused; others outside ASCII are not. U+FEFF and U+FF21 were found by
     * topic_anyValue_staysOneLevelOrIsRefused when unpatched Paho 1.2.5 refused every character from U+FDD0 on.
     */
    @Example
    void topic_charactersMqttForbidsOrDiscourages_areRefusedAndOnlyThose() throws Exception {
        for (String value : List.of("a\u0000b", "tab\there", "\u0085", "\ufffe", "\ufdd0", "\ud800", "\udfff",
                "\ud83f\udfff")) {
            assertThat(Template.topicLevelProblem(value)).as(value).isNotNull();
        }
        for (String value : List.of("\ud83d\ude00", "\ufeff", "\uff21", "K\u00f6ln", "\u6771\u4eac")) {
            assertThat(Template.topicLevelProblem(value)).as(value).isNull();
            assertThat(throughPaho(Template.topic(TOPIC, Map.of("deviceId", value)))).contains(value);
        }
    }

    // ---------------------------------------------------------------- generators

    /** Device values: ordinary ids, and every character class that has broken a topic, URL or log somewhere. */
    // ---------------------------------------------------------------- JSON payloads

    @Property(tries = 500)
    void json_anyValue_givesValidJson_thatCarriesTheValue(@ForAll("values") String text, @ForAll double number)
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode template = json.readTree(
                "{\"whole\":\"{s}\",\"among\":\"<{s}>\",\"{s}\":[\"{d}\"]}");

        JsonNode out = json.readTree(
                Template.json(template, Map.of("s", text, "d", number)));

        assertThat(out.get("whole").textValue()).isEqualTo(text);
        assertThat(out.get("among").textValue()).isEqualTo("<" + text + ">");
        assertThat(out.get(text).get(0).isNumber() || !Double.isFinite(number)).isTrue();
        assertThat(out.size()).as("a value adds no key").isEqualTo(text.equals("whole") || text.equals("among") ? 2 : 3);
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<Character> odd = Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001f'),
                Arbitraries.of('\u007f', '\u0085', '\u009b', '\u200e', '\u202e', '\u2028', '\u2066', '\ufeff', '\ufffe',
                        '\uffff', '\ufdd0', '/', '+', '#', '$', '"', '\\', '{', '}', '%', '?', '&', '=', '.', ':', '@',
                        ' ', ';', '\''),
                Arbitraries.chars().range('\ud800', '\udfff'),
                Arbitraries.chars().all(),
                Arbitraries.chars().alpha(),
                Arbitraries.chars().numeric());
        Arbitrary<String> nonBmp = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
        Arbitrary<String> mixed = Arbitraries.oneOf(odd.map(String::valueOf), nonBmp).list().ofMaxSize(16)
                .map(parts -> String.join("", parts));
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('-', '_', '.')
                .ofMinLength(1).ofMaxLength(24);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, ids), net.jqwik.api.Tuple.of(5, mixed),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(".", "..", "../x", "$SYS", "", "h2?x=1#frag", "a/b", "+", "#")));
    }
}
