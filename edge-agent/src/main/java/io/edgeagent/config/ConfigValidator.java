package io.edgeagent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a bound {@link AgentConfig} against the rules no type can express (ranges, URL schemes, files that must
 * exist) and reports every violation, each with its key path, line, value and what was expected.
 */
final class ConfigValidator {

    private static final Pattern FENCE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    private final String source;
    private final YamlLines lines;
    private final List<Problem> problems;

    ConfigValidator(String source, YamlLines lines, List<Problem> problems) {
        this.source = source;
        this.lines = lines;
        this.problems = problems;
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,31}");
    private static final List<String> BUILT_IN_KINDS = List.of("Reading", "Location", "Derived");

    void validate(AgentConfig config) {
        broker(config.broker());
        eventTypes(config.declaredEventTypes());
        inputs(config.inputs(), config.declaredEventTypes());
        rules(config.rules());
        geofences(config.geofences());
        buffer(config.buffer());
        range("pipeline.queueCapacity", config.pipeline().queueCapacity(), 1, 1_000_000);
        atLeast("pipeline.stallTimeout", config.pipeline().stallTimeout(), Duration.ofSeconds(1));
        eventTime(config.pipeline().eventTime());
        range("actions.threads", config.actions().threads(), 1, 64);
        range("actions.queueCapacity", config.actions().queueCapacity(), 1, 100_000);
        actions(config.actions());
        uplink(config.uplink());
        if (config.buffer().policy().equals(BufferConfig.POLICY_BACKPRESSURE) && !config.uplink().enabled()) {
            problem("buffer.policy", config.buffer().policy(), "expected drop-oldest when uplink.enabled is false: "
                    + "without an uplink nothing ever frees the buffer, so backpressure would stop ingest for good");
        }
        admin(config.admin());
    }

    private void eventTime(EventTimeWindow window) {
        Instant first = Instant.parse("0001-01-01T00:00:00Z");
        if (window.earliest().isBefore(first) || window.earliest().isAfter(Instant.ofEpochMilli(EventTimeWindow.LATEST))) {
            problem("pipeline.eventTime.earliest", window.earliest().toString(),
                    "expected an instant from 0001-01-01 to 9999-12-31");
        }
        if (window.maxAhead().isNegative() || window.maxAhead().compareTo(EventTimeWindow.MAX_AHEAD_LIMIT) > 0) {
            problem("pipeline.eventTime.maxAhead", Durations.format(window.maxAhead()),
                    "expected a duration from 0s to " + Durations.format(EventTimeWindow.MAX_AHEAD_LIMIT));
        }
    }

    private void broker(BrokerConfig b) {
        mqttUrl("broker.url", b.url());
        if (b.clientId().isBlank()) {
            problem("broker.clientId", b.clientId(), "expected a non-empty, stable client id");
        }
        if (b.qos() != 0 && b.qos() != 1) {
            problem("broker.qos", String.valueOf(b.qos()),
                    "expected 0 or 1 (QoS 2 is not supported: Paho acknowledges it before the event is stored)");
        }
        atLeast("broker.keepAlive", b.keepAlive(), Duration.ofSeconds(1));
        atLeast("broker.connectTimeout", b.connectTimeout(), Duration.ofMillis(100));
        atLeast("broker.reconnectMin", b.reconnectMin(), Duration.ofMillis(10));
        if (b.reconnectMax().compareTo(b.reconnectMin()) < 0) {
            problem("broker.reconnectMax", Durations.format(b.reconnectMax()), "expected at least broker.reconnectMin ("
                    + Durations.format(b.reconnectMin()) + ")");
        }
        range("broker.maxInflight", b.maxInflight(), 1, 65_535);
        tls("broker.tls", b.tls());
    }

    private void tls(String path, TlsConfig tls) {
        readable(path + ".caFile", tls.caFile());
        readable(path + ".certFile", tls.certFile());
        readable(path + ".keyFile", tls.keyFile());
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            problem(path, null, "expected both certFile and keyFile for a client certificate, or neither");
        }
    }

    private void eventTypes(EventTypes declared) {
        for (Map.Entry<String, Map<String, String>> type : declared.types().entrySet()) {
            String at = "eventTypes." + type.getKey();
            if (!IDENTIFIER.matcher(type.getKey()).matches()) {
                problem(at, type.getKey(), "expected a type name of up to 32 letters, digits and '_', starting with a letter");
            } else if (BUILT_IN_KINDS.stream().anyMatch(k -> k.equalsIgnoreCase(type.getKey()))) {
                problem(at, type.getKey(), "expected a name other than the built-in " + BUILT_IN_KINDS);
            }
            if (type.getValue().isEmpty()) {
                problem(at, null, "expected at least one field (name: type)");
            }
            for (Map.Entry<String, String> field : type.getValue().entrySet()) {
                String fieldAt = at + "." + field.getKey();
                if (!IDENTIFIER.matcher(field.getKey()).matches()) {
                    problem(fieldAt, field.getKey(), "expected a field name of up to 32 letters, digits and '_', starting with a letter");
                } else if (EventTypes.RESERVED_FIELDS.contains(field.getKey())) {
                    problem(fieldAt, field.getKey(), "expected a name other than " + EventTypes.RESERVED_FIELDS
                            + ", which every event has");
                }
                if (field.getValue() == null || !EventTypes.FIELD_TYPES.containsKey(field.getValue())) {
                    problem(fieldAt, field.getValue(), "expected one of " + new TreeSet<>(EventTypes.FIELD_TYPES.keySet()));
                }
            }
        }
    }

    private void inputs(List<InputConfig> inputs, EventTypes declared) {
        if (inputs.isEmpty()) {
            problem("inputs", null, "expected at least one input (a topic filter to subscribe to)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputConfig input = inputs.get(i);
            String at = "inputs[" + i + "]";
            if (input == null) {
                continue;
            }
            if (input.topic() == null || input.topic().isEmpty()) {
                problem(at + ".topic", null, "expected an MQTT topic filter such as sensors/+/temperature");
                continue;
            }
            String filterError = TopicFilters.check(input.topic());
            if (filterError != null) {
                problem(at + ".topic", input.topic(), filterError);
            }
            if (!names.add(input.name())) {
                problem(at + ".name", input.name(), "expected a name not used by another input");
            }
            if (!InputConfig.FORMATS.contains(input.format())) {
                problem(at + ".format", input.format(), "expected one of " + InputConfig.FORMATS);
                continue;
            }
            boolean declaredEvent = declared.declares(input.event());
            if (!InputConfig.EVENTS.contains(input.event()) && !declaredEvent) {
                problem(at + ".event", input.event(), "expected one of " + InputConfig.EVENTS
                        + (declared.types().isEmpty() ? ", or a type declared under eventTypes"
                                : " or a declared event type " + declared.types().keySet()));
                continue;
            }
            String onlyEvent = switch (input.format()) {
                case "tasmota", "raw" -> "reading";
                case "owntracks" -> "location";
                default -> null;
            };
            if (onlyEvent != null && !onlyEvent.equals(input.event())) {
                problem(at + ".event", input.event(), "expected " + onlyEvent + " for format " + input.format());
            }
            List<String> allowed = declaredEvent ? declaredFields(declared, input.event())
                    : input.event().equals("location") ? InputConfig.LOCATION_FIELDS : InputConfig.READING_FIELDS;
            for (Map.Entry<String, FieldSource> field : input.fields().entrySet()) {
                if (!allowed.contains(field.getKey())) {
                    problem(at + ".fields." + field.getKey(), String.valueOf(field.getValue()),
                            "unknown field for a " + input.event() + " (expected one of " + allowed + ")");
                }
            }
        }
    }

    private static List<String> declaredFields(EventTypes declared, String type) {
        List<String> fields = new ArrayList<>(List.of("id", "deviceId", "timestamp"));
        fields.addAll(declared.fields(type).keySet());
        return fields;
    }

    private void rules(RulesConfig rules) {
        if (!Files.isDirectory(rules.directory())) {
            problem("rules.directory", rules.directory().toString(), "expected an existing directory of rule files");
        }
        if (rules.maxPipelineShare().isNaN() || rules.maxPipelineShare() < 0 || rules.maxPipelineShare() > 1) {
            problem("rules.maxPipelineShare", String.valueOf(rules.maxPipelineShare()),
                    "expected a share from 0 to 1, e.g. 0.5 (0 or 1 turn the time budget off)");
        }
        if (rules.budgetWindow().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            problem("rules.budgetWindow", Durations.format(rules.budgetWindow()), "expected a duration of 1s or more");
        }
    }

    private void geofences(Map<String, GeofenceConfig> fences) {
        for (Map.Entry<String, GeofenceConfig> entry : fences.entrySet()) {
            String at = "geofences." + entry.getKey();
            GeofenceConfig fence = entry.getValue();
            if (!FENCE_NAME.matcher(entry.getKey()).matches()) {
                problem(at, entry.getKey(), "expected a fence name of letters, digits, '-' and '_'");
            }
            if (fence == null) {
                problem(at, null, "expected a circle (lat, lon, radius) or a polygon");
                continue;
            }
            boolean circle = fence.lat() != null || fence.lon() != null || fence.radius() != null;
            if (circle && !fence.polygon().isEmpty()) {
                problem(at, null, "expected either a circle (lat, lon, radius) or a polygon, not both");
            } else if (circle) {
                latLon(at, fence.lat(), fence.lon());
                if (fence.radius() == null || !(fence.radius() > 0)) {
                    problem(at + ".radius", String.valueOf(fence.radius()), "expected a radius in metres above 0");
                }
            } else if (fence.polygon().size() < 3) {
                problem(at + ".polygon", null, "expected a polygon of at least 3 [lat, lon] corners, or a circle");
            } else {
                for (int i = 0; i < fence.polygon().size(); i++) {
                    List<Double> corner = fence.polygon().get(i);
                    if (corner == null || corner.size() != 2) {
                        problem(at + ".polygon[" + i + "]", String.valueOf(corner), "expected [lat, lon]");
                    } else {
                        latLon(at + ".polygon[" + i + "]", corner.get(0), corner.get(1));
                    }
                }
            }
            if (fence.margin() < 0) {
                problem(at + ".margin", String.valueOf(fence.margin()), "expected 0 or more metres");
            }
        }
    }

    private void latLon(String at, Double lat, Double lon) {
        if (lat == null || lat < -90 || lat > 90) {
            problem(at + ".lat", String.valueOf(lat), "expected a latitude from -90 to 90");
        }
        if (lon == null || lon < -180 || lon > 180) {
            problem(at + ".lon", String.valueOf(lon), "expected a longitude from -180 to 180");
        }
    }

    private void buffer(BufferConfig b) {
        if (b.maxBytes().bytes() < 1024 * 1024) {
            problem("buffer.maxBytes", b.maxBytes().toString(), "expected at least 1MB");
        }
        atLeast("buffer.maxAge", b.maxAge(), Duration.ofMinutes(1));
        if (!b.policy().equals(BufferConfig.POLICY_DROP_OLDEST) && !b.policy().equals(BufferConfig.POLICY_BACKPRESSURE)) {
            problem("buffer.policy", b.policy(), "expected drop-oldest or backpressure");
        }
        atLeast("buffer.commitInterval", b.commitInterval(), Duration.ofMillis(1));
        if (b.commitInterval().compareTo(Duration.ofSeconds(10)) > 0) {
            problem("buffer.commitInterval", Durations.format(b.commitInterval()),
                    "expected at most 10s (messages wait unacknowledged at the broker that long)");
        }
        range("buffer.maxBatch", b.maxBatch(), 1, 100_000);
        if (b.minFreeSpace().bytes() > 0 && b.minFreeSpace().bytes() < 1024 * 1024) {
            problem("buffer.minFreeSpace", b.minFreeSpace().toString(), "expected 0 (off) or at least 1MB: H2 needs room "
                    + "to write a checkpoint and to delete uploaded events");
        }
    }

    private void uplink(UplinkConfig u) {
        if (!u.enabled()) {
            return;
        }
        if (u.type().equals(UplinkConfig.TYPE_KAFKA)) {
            u.kafka().check("uplink.kafka", u.timeout(), this::problem);
        } else if (!u.type().equals(UplinkConfig.TYPE_MQTT) && !u.type().equals(UplinkConfig.TYPE_HTTP)) {
            problem("uplink.type", u.type(), "expected mqtt, http or kafka");
        } else if (u.url() == null) {
            problem("uplink.url", null, "expected the upstream " + u.type() + " URL when uplink.enabled is true");
        } else if (u.type().equals(UplinkConfig.TYPE_MQTT)) {
            mqttUrl("uplink.url", u.url());
        } else if (!u.url().startsWith("http://") && !u.url().startsWith("https://")) {
            problem("uplink.url", u.url(), "expected a URL starting with http:// or https://");
        }
        range("uplink.batchSize", u.batchSize(), 1, 10_000);
        if (u.backlogShare() < 0 || u.backlogShare() > 1) {
            problem("uplink.backlogShare", String.valueOf(u.backlogShare()), "expected a fraction from 0 to 1");
        }
        if (u.successCodes().isEmpty() || u.successCodes().stream().anyMatch(c -> c == null || c < 200 || c > 299)) {
            problem("uplink.successCodes", String.valueOf(u.successCodes()), "expected a list of HTTP 2xx statuses");
        }
        atLeast("uplink.timeout", u.timeout(), Duration.ofMillis(100));
        atLeast("uplink.retryMin", u.retryMin(), Duration.ofMillis(10));
        if (u.retryMax().compareTo(u.retryMin()) < 0) {
            problem("uplink.retryMax", Durations.format(u.retryMax()), "expected at least uplink.retryMin");
        }
        tls("uplink.tls", u.tls());
    }

    private void actions(ActionsConfig a) {
        range("actions.maxRunsPerRule", a.maxRunsPerRule(), 1, 100_000);
        for (int i = 0; i < a.execAllowlist().size(); i++) {
            String program = a.execAllowlist().get(i);
            if (program == null || !Path.of(program).isAbsolute()) {
                problem("actions.execAllowlist[" + i + "]", program, "expected an absolute program path");
            }
        }
        for (Map.Entry<String, List<ActionSpec>> workflow : a.workflows().entrySet()) {
            String at = "actions.workflows." + workflow.getKey();
            if (!FENCE_NAME.matcher(workflow.getKey()).matches()) {
                problem(at, workflow.getKey(), "expected a workflow name of letters, digits, '-' and '_'");
            }
            List<ActionSpec> steps = workflow.getValue() == null ? List.of() : workflow.getValue();
            if (steps.isEmpty()) {
                problem(at, null, "expected a list of steps");
            }
            for (int i = 0; i < steps.size(); i++) {
                RuleFileReader.checkAction(source, lines, at + "[" + i + "]", steps.get(i), problems);
                if (steps.get(i) instanceof WorkflowAction call && call.name() != null
                        && !a.workflows().containsKey(call.name())) {
                    problem(at + "[" + i + "].name", call.name(), "expected the name of a workflow in actions.workflows");
                }
            }
        }
    }

    private void admin(AdminConfig a) {
        range("admin.port", a.port(), 0, 65_535);
        if (a.bind().isBlank()) {
            problem("admin.bind", a.bind(), "expected an address to listen on, such as 127.0.0.1");
        }
    }

    private void mqttUrl(String path, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !MQTT_SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                problem(path, url, "expected an MQTT URL such as tcp://127.0.0.1:1883 or ssl://broker:8883");
            }
        } catch (URISyntaxException e) {
            problem(path, url, "expected an MQTT URL such as tcp://127.0.0.1:1883 or ssl://broker:8883");
        }
    }

    private void readable(String path, Path file) {
        if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
            problem(path, file.toString(), "expected a readable file");
        }
    }

    private void range(String path, Integer value, int min, int max) {
        if (value < min || value > max) {
            problem(path, String.valueOf(value), "expected a whole number from " + min + " to " + max);
        }
    }

    private void atLeast(String path, Duration value, Duration min) {
        if (value.compareTo(min) < 0) {
            problem(path, Durations.format(value), "expected at least " + Durations.format(min));
        }
    }

    private void problem(String path, String value, String message) {
        problems.add(new Problem(source, lines.lineOf(path), path, value, message));
    }
}
