package io.edgeagent.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The whole agent configuration, bound once from YAML, validated, then never changed. */
public record AgentConfig(BrokerConfig broker, List<InputConfig> inputs, RulesConfig rules,
                          Map<String, GeofenceConfig> geofences, DataConfig data, BufferConfig buffer,
                          PipelineConfig pipeline, ActionsConfig actions, UplinkConfig uplink, AdminConfig admin,
                          Map<String, Map<String, String>> eventTypes) implements Section {

    private static final Pattern FENCE_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    // The sections. Each record declares its own keys the same way; adding a section is a component here, a Field
    // with its default below, and a line in the constructor.
    static final Field<BrokerConfig> BROKER = Field.of("broker", BrokerConfig.defaults());
    static final Field<List<InputConfig>> INPUTS = Field.of("inputs", InputConfig.DEFAULTS);
    static final Field<RulesConfig> RULES = Field.of("rules", new RulesConfig(null, null));
    static final Field<Map<String, GeofenceConfig>> GEOFENCES = Field.of("geofences", Map.of());
    static final Field<DataConfig> DATA = Field.of("data", new DataConfig(null));
    static final Field<BufferConfig> BUFFER = Field.of("buffer", BufferConfig.defaults());
    static final Field<PipelineConfig> PIPELINE = Field.of("pipeline", new PipelineConfig(null, null, null));
    static final Field<ActionsConfig> ACTIONS = Field.of("actions", ActionsConfig.defaults());
    static final Field<UplinkConfig> UPLINK = Field.of("uplink", UplinkConfig.disabled());
    static final Field<AdminConfig> ADMIN = Field.of("admin", new AdminConfig(null, null, null, null));
    static final Field<Map<String, Map<String, String>>> EVENT_TYPES = Field.of("eventTypes", Map.of());

    public AgentConfig {
        broker = BROKER.or(broker);
        inputs = List.copyOf(INPUTS.or(inputs));
        rules = RULES.or(rules);
        // Keep the file's order so listings match what the person wrote.
        geofences = Collections.unmodifiableMap(new LinkedHashMap<>(GEOFENCES.or(geofences)));
        data = DATA.or(data);
        buffer = BUFFER.or(buffer);
        pipeline = PIPELINE.or(pipeline);
        actions = ACTIONS.or(actions);
        uplink = UPLINK.or(uplink);
        admin = ADMIN.or(admin);
        eventTypes = new EventTypes(EVENT_TYPES.or(eventTypes)).types();
    }

    /** The lists and maps of the configuration, and what ties sections together; each section checks itself. */
    @Override
    public void validate(Validation here) {
        EventTypes declared = declaredEventTypes();
        declared.validate(here.at(EVENT_TYPES.name()));
        if (inputs.isEmpty()) {
            here.problem(INPUTS.name(), null, "expected at least one input (a topic filter to subscribe to)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputConfig input = inputs.get(i);
            Validation at = here.at(INPUTS.name()).at("[" + i + "]");
            input.validate(at, declared);
            if (input.topic() != null && !input.topic().isEmpty() && !names.add(input.name())) {
                at.problem(InputConfig.NAME.name(), input.name(), "expected a name not used by another input");
            }
        }
        for (Map.Entry<String, GeofenceConfig> fence : geofences.entrySet()) {
            Validation at = here.at(GEOFENCES.name()).at(fence.getKey());
            if (!FENCE_NAME.matcher(fence.getKey()).matches()) {
                at.problem("", fence.getKey(), "expected a fence name of letters, digits, '-' and '_'");
            }
            if (fence.getValue() == null) {
                at.problem("", null, "expected a circle (lat, lon, radius) or a polygon");
            } else {
                at.section(fence.getValue());
            }
        }
        if (buffer.policy().equals(BufferConfig.POLICY_BACKPRESSURE) && !uplink.enabled()) {
            here.problem("buffer.policy", buffer.policy(), "expected drop-oldest when uplink.enabled is false: "
                    + "without an uplink nothing ever frees the buffer, so backpressure would stop ingest for good");
        }
    }

    /** The event types declared under {@code eventTypes:}, beyond Reading and Location. */
    public EventTypes declaredEventTypes() {
        return new EventTypes(eventTypes);
    }

    /** Makes every relative path relative to {@code base} (the configuration file's directory). */
    public AgentConfig resolve(Path base) {
        DataConfig resolvedData = data.resolve(base);
        return new AgentConfig(broker.resolve(base), inputs, rules.resolve(base), geofences, resolvedData, buffer,
                pipeline, actions, uplink.resolve(base), admin.resolve(base, resolvedData.directory()), eventTypes);
    }

    public AgentConfig withBroker(BrokerConfig newBroker) {
        return new AgentConfig(newBroker, inputs, rules, geofences, data, buffer, pipeline, actions, uplink, admin, eventTypes);
    }

    public AgentConfig withRules(RulesConfig newRules) {
        return new AgentConfig(broker, inputs, newRules, geofences, data, buffer, pipeline, actions, uplink, admin, eventTypes);
    }

    public AgentConfig withData(DataConfig newData) {
        // The default token file lives in the data directory, so it moves with it.
        AdminConfig movedAdmin = new AdminConfig(admin.enabled(), admin.bind(), admin.port(), null)
                .resolve(null, newData.directory());
        return new AgentConfig(broker, inputs, rules, geofences, newData, buffer, pipeline, actions, uplink, movedAdmin, eventTypes);
    }

    public AgentConfig withAdmin(AdminConfig newAdmin) {
        return new AgentConfig(broker, inputs, rules, geofences, data, buffer, pipeline, actions, uplink, newAdmin, eventTypes);
    }

    public AgentConfig withBuffer(BufferConfig newBuffer) {
        return new AgentConfig(broker, inputs, rules, geofences, data, newBuffer, pipeline, actions, uplink, admin, eventTypes);
    }

    public AgentConfig withUplink(UplinkConfig newUplink) {
        return new AgentConfig(broker, inputs, rules, geofences, data, buffer, pipeline, actions, newUplink, admin, eventTypes);
    }
}
