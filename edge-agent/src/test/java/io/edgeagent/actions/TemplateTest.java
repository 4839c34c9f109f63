package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, Object> fields(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    /** The payload as a receiver parses it. */
    private static JsonNode rendered(JsonNode template, Map<String, Object> fields) throws Exception {
        return JSON.readTree(Template.json(template, fields));
    }

    @Test
    void render_placeholdersInText_areReplacedByFieldValues() {
        String out = Template.render("{deviceId} is at {value} {unit}, above {limit} C",
                fields("deviceId", "cold-room-1", "value", 9.5, "unit", "C", "limit", 8L));

        assertThat(out).isEqualTo("cold-room-1 is at 9.5 C, above 8 C");
    }

    @Test
    void render_doubles_areWrittenAsAPersonWouldWriteThem() {
        assertThat(Template.render("{a} {b} {c} {d}", fields("a", 93.60000000000001, "b", 9.0, "c", 1.0e-7, "d", 1.5e12)))
                .isEqualTo("93.6 9 0.0000001 1500000000000");
    }

    @Test
    void render_unknownField_isLeftAsWritten() {
        assertThat(Template.render("{deviceId} {devceId} {} {1abc}", fields("deviceId", "d")))
                .isEqualTo("d {devceId} {} {1abc}");
    }

    @Test
    void render_valueThatLooksLikeAPlaceholderOrRegexReplacement_isInsertedLiterally() {
        assertThat(Template.render("{a}/{b}", fields("a", "{b}", "b", "$1\\x"))).isEqualTo("{b}/$1\\x");
    }

    @Test
    void render_nullValueAndNullText_areHandled() {
        assertThat(Template.render("room-1 is at 12 {unit}.", fields("unit", null))).as("a null field renders as nothing")
                .isEqualTo("room-1 is at 12 .");
        assertThat(Template.render((String) null, fields())).isNull();
        assertThat(Template.render("no placeholders", fields("a", 1))).isEqualTo("no placeholders");
    }

    @Test
    void render_wholeValuePlaceholdersInJson_keepTheFieldsType() throws Exception {
        JsonNode out = rendered(tree("{\"temperature\":\"{value}\",\"count\":\"{n}\",\"ok\":\"{ok}\","
                        + "\"device\":\"{deviceId}\",\"missing\":\"{absent}\",\"nothing\":\"{none}\"}"),
                fields("value", 9.600000000000001, "n", 5L, "ok", true, "deviceId", "d-1", "none", null));

        assertThat(out.get("temperature").isNumber()).isTrue();
        assertThat(out.get("temperature").decimalValue()).isEqualByComparingTo("9.6");
        assertThat(out.get("count").isIntegralNumber()).isTrue();
        assertThat(out.get("count").longValue()).isEqualTo(5L);
        assertThat(out.get("ok").isBoolean()).isTrue();
        assertThat(out.get("device").isTextual()).isTrue();
        assertThat(out.get("device").asText()).isEqualTo("d-1");
        assertThat(out.get("missing").asText()).as("unknown field left as written").isEqualTo("{absent}");
        assertThat(out.get("nothing").isNull()).isTrue();
    }

    @Test
    void render_placeholderAmongTextInJson_givesAString() throws Exception {
        JsonNode out = rendered(tree("{\"msg\":\"at {value} C\"}"), fields("value", 9.0));

        assertThat(out.get("msg").isTextual()).isTrue();
        assertThat(out.get("msg").asText()).isEqualTo("at 9 C");
    }

    @Test
    void render_valuesWithQuotesAndBraces_stayValidJson() throws Exception {
        String nasty = "he said \"hi\" }{ \\ \n {deviceId}";
        JsonNode out = rendered(tree("{\"whole\":\"{v}\",\"inside\":\"<{v}>\",\"{v}\":1}"), fields("v", nasty));

        JsonNode reparsed = JSON.readTree(JSON.writeValueAsString(out));

        assertThat(reparsed.get("whole").asText()).isEqualTo(nasty);
        assertThat(reparsed.get("inside").asText()).isEqualTo("<" + nasty + ">");
        assertThat(reparsed.has(nasty)).as("keys are rendered too").isTrue();
    }

    @Test
    void render_nonFiniteDouble_stillSerialisesToValidJson() throws Exception {
        JsonNode out = rendered(tree("{\"v\":\"{v}\",\"w\":\"{w}\"}"), fields("v", Double.NaN,
                "w", Double.POSITIVE_INFINITY));

        String text = JSON.writeValueAsString(out);

        assertThat(JSON.readTree(text).size()).isEqualTo(2);
    }

    @Test
    void render_nestedObjectsAndArrays_areRenderedAtEveryDepth() throws Exception {
        JsonNode out = rendered(tree("{\"a\":{\"b\":[\"{value}\",\"id {deviceId}\",{\"c\":[\"{n}\"]}],"
                + "\"k\":7,\"t\":true,\"z\":null}}"), fields("value", 1.5, "deviceId", "d", "n", 2));

        assertThat(JSON.writeValueAsString(out))
                .isEqualTo("{\"a\":{\"b\":[1.5,\"id d\",{\"c\":[2]}],\"k\":7,\"t\":true,\"z\":null}}");
    }

    @Test
    void render_jsonTree_leavesTheInputUnchanged() throws Exception {
        JsonNode input = tree("{\"cmd\":\"on\",\"t\":\"{value}\",\"list\":[\"{deviceId}\",{\"x\":\"{value}\"}]}");
        JsonNode before = input.deepCopy();

        JsonNode first = rendered(input, fields("value", 1.0, "deviceId", "a"));
        JsonNode second = rendered(input, fields("value", 2.0, "deviceId", "b"));

        assertThat(input).isEqualTo(before);
        assertThat(first.get("t").intValue()).isEqualTo(1);
        assertThat(second.get("list").get(0).asText()).isEqualTo("b");
        assertThat(first.get("list").get(1).get("x").intValue()).as("outputs do not share nodes").isEqualTo(1);
    }

    @Test
    void render_textualTree_withWholePlaceholder_takesTheFieldsType() throws Exception {
        Map<String, Object> f = new HashMap<>();
        f.put("list", List.of(1, 2));

        assertThat(Template.json(JSON.getNodeFactory().textNode("{list}"), f)).isEqualTo("[1,2]");
    }

    @Test
    void json_textualTree_isSentAsText_andAWholeStringFieldUnquoted() {
        JsonNode text = JSON.getNodeFactory().textNode("{deviceId} at {value}");

        assertThat(Template.json(text, fields("deviceId", "d-1", "value", 9.5, "x", 1))).isEqualTo("d-1 at 9.5");
        assertThat(Template.json(JSON.getNodeFactory().textNode("{deviceId}"), fields("deviceId", "d \"1\"")))
                .isEqualTo("d \"1\"");
        assertThat(Template.json(JSON.getNodeFactory().textNode("{n}"), fields("n", null))).isEqualTo("null");
    }

    @Test
    void json_isWhatJacksonWritesForTheSameTree() throws Exception {
        JsonNode template = tree("{\"a\":\"{v}\",\"b\":[\"x {s}\",2.50,false,null,{\"{s}\":\"{n}\"}],\"c\":\"caf\u00e9 \\u0001\"}");
        Map<String, Object> f = fields("v", 93.60000000000001, "s", "q\"\\\n\u2028", "n", 7L);

        String expected = JSON.writeValueAsString(JSON.readTree(
                "{\"a\":93.6,\"b\":[" + JSON.writeValueAsString("x " + f.get("s")) + ",2.50,false,null,{"
                        + JSON.writeValueAsString(f.get("s")) + ":7}],\"c\":\"caf\u00e9 \\u0001\"}"));

        assertThat(Template.json(template, f)).isEqualTo(expected);
    }

    @Test
    void json_sameTemplateObject_isCompiledOnce_yetRendersEachRunsFields() throws Exception {
        JsonNode template = tree("{\"t\":\"{v}\"}");

        assertThat(JsonTemplate.of(template)).isSameAs(JsonTemplate.of(template));
        assertThat(JsonTemplate.of(template)).as("an equal tree from another rule file is its own template")
                .isNotSameAs(JsonTemplate.of(tree("{\"t\":\"{v}\"}")));
        assertThat(Template.json(template, fields("v", 1))).isEqualTo("{\"t\":1}");
        assertThat(Template.json(template, fields("v", "x"))).isEqualTo("{\"t\":\"x\"}");
    }

    @Test
    void topic_nullField_isRefused_andArgumentRendersNothing() throws Exception {
        Map<String, Object> f = fields("site", null);

        assertThatThrownBy(() -> Template.topic("alarm/{site}", f))
                .isInstanceOf(RefusedValue.class).hasMessageContaining("site").hasMessageContaining("no value");
        assertThat(Template.argument("--site={site}", f)).isEqualTo("--site=");
    }
}
