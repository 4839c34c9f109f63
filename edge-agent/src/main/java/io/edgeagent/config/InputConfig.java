package io.edgeagent.config;

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

    public static final String DEFAULT_FORMAT = "json";
    public static final String DEFAULT_EVENT = "reading";

    public InputConfig {
        format = format == null ? DEFAULT_FORMAT : format;
        event = event == null ? defaultEvent(format) : event;
        fields = fields == null ? Map.of() : Map.copyOf(fields);
        name = name == null ? topic : name;
    }

    private static String defaultEvent(String format) {
        return "owntracks".equals(format) ? "location" : DEFAULT_EVENT;
    }
}
