package io.edgeagent.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The whole agent configuration, bound once from YAML, validated, then never changed. */
public record AgentConfig(BrokerConfig broker, List<InputConfig> inputs, RulesConfig rules,
                          Map<String, GeofenceConfig> geofences, DataConfig data, BufferConfig buffer,
                          PipelineConfig pipeline, ActionsConfig actions, UplinkConfig uplink, AdminConfig admin,
                          Map<String, Map<String, String>> eventTypes) {

    public AgentConfig {
        broker = broker == null ? BrokerConfig.defaults() : broker;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        rules = rules == null ? new RulesConfig(null, null) : rules;
        // Keep the file's order so listings match what the person wrote.
        geofences = geofences == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(geofences));
        data = data == null ? new DataConfig(null) : data;
        buffer = buffer == null ? BufferConfig.defaults() : buffer;
        pipeline = pipeline == null ? new PipelineConfig(null, null, null) : pipeline;
        actions = actions == null ? ActionsConfig.defaults() : actions;
        uplink = uplink == null ? UplinkConfig.disabled() : uplink;
        admin = admin == null ? new AdminConfig(null, null, null, null) : admin;
        eventTypes = new EventTypes(eventTypes).types();
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
