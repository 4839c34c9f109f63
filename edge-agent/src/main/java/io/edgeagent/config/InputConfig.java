package io.edgeagent.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One subscription and how its messages become events.
 *
 * <p>{@code format} selects the decoder: {@code json} and {@code raw} take an {@code event} kind ({@code reading} or
 * {@code location}) and optional {@code fields} saying where each event field comes from; {@code tasmota} and
 * {@code owntracks} are presets for those device formats. A field source is a JSON pointer ({@code /temp/value}), a
 * topic segment ({@code topic:1}, counted from 0), the whole payload as a number ({@code payload}) or a constant
 * ({@code const:C}).
 */
public record InputConfig(String name, String topic, String format, String event, Map<String, FieldSource> fields) {

    public static final List<String> FORMATS = List.of("json", "raw", "tasmota", "owntracks");
    public static final List<String> EVENTS = List.of("reading", "location");
    public static final List<String> READING_FIELDS = List.of("id", "deviceId", "type", "value", "unit", "timestamp");
    public static final List<String> LOCATION_FIELDS =
            List.of("id", "deviceId", "lat", "lon", "accuracy", "speed", "heading", "timestamp");

    /** Not set: named after the topic. */
    static final Field<String> NAME = Field.of("name", null);
    static final Field<String> TOPIC = Field.of("topic", null);
    static final Field<String> FORMAT = Field.of("format", "json");
    /** Not set: location for owntracks, else reading. */
    static final Field<String> EVENT = Field.of("event", null);
    static final Field<Map<String, FieldSource>> FIELDS = Field.of("fields", Map.of());

    /**
     * The inputs of a configuration without {@code inputs:}, the ones config.yaml shows: the agent's own JSON
     * readings and locations (what the device simulator and {@code edge-agent record} use), bare numbers, and the
     * Tasmota and OwnTracks presets, each on its own topic tree.
     */
    public static final List<InputConfig> DEFAULTS = List.of(
            new InputConfig("readings", "sensors/+/+", "json", "reading", null),
            new InputConfig("locations", "trackers/+/location", "json", "location", null),
            new InputConfig("raw", "raw/+/+", "raw", "reading", Map.of("deviceId", new FieldSource.TopicSegment(1),
                    "type", new FieldSource.TopicSegment(2), "value", new FieldSource.WholePayload())),
            new InputConfig("tasmota", "tele/+/SENSOR", "tasmota", null, null),
            new InputConfig("owntracks", "owntracks/+/+", "owntracks", null, null));

    public InputConfig {
        format = FORMAT.or(format);
        event = event == null ? defaultEvent(format) : event;
        fields = Map.copyOf(FIELDS.or(fields));
        name = name == null ? topic : name;
    }

    private static String defaultEvent(String format) {
        return "owntracks".equals(format) ? "location" : "reading";
    }

    /** Checks this input; {@code here} stands at {@code inputs[N]}; event types come from {@code declared}. */
    void validate(Validation here, EventTypes declared) {
        if (topic == null || topic.isEmpty()) {
            here.problem(TOPIC.name(), null, "expected an MQTT topic filter such as sensors/+/temperature");
            return;
        }
        String filterError = TopicFilters.check(topic);
        if (filterError != null) {
            here.problem(TOPIC.name(), topic, filterError);
        }
        if (!FORMATS.contains(format)) {
            here.problem(FORMAT.name(), format, "expected one of " + FORMATS);
            return;
        }
        boolean declaredEvent = declared.declares(event);
        if (!EVENTS.contains(event) && !declaredEvent) {
            here.problem(EVENT.name(), event, "expected one of " + EVENTS + (declared.types().isEmpty()
                    ? ", or a type declared under eventTypes" : " or a declared event type " + declared.types().keySet()));
            return;
        }
        String onlyEvent = switch (format) {
            case "tasmota", "raw" -> "reading";
            case "owntracks" -> "location";
            default -> null;
        };
        if (onlyEvent != null && !onlyEvent.equals(event)) {
            here.problem(EVENT.name(), event, "expected " + onlyEvent + " for format " + format);
        }
        List<String> allowed = declaredEvent ? declaredFields(declared, event)
                : event.equals("location") ? LOCATION_FIELDS : READING_FIELDS;
        for (Map.Entry<String, FieldSource> field : fields.entrySet()) {
            if (!allowed.contains(field.getKey())) {
                here.at(FIELDS.name()).problem(field.getKey(), String.valueOf(field.getValue()),
                        "unknown field for a " + event + " (expected one of " + allowed + ")");
            }
        }
    }

    private static List<String> declaredFields(EventTypes declared, String type) {
        List<String> fields = new ArrayList<>(List.of("id", "deviceId", "timestamp"));
        fields.addAll(declared.fields(type).keySet());
        return fields;
    }
}
