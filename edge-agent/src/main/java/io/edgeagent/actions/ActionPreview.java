package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.LogAction;
import io.edgeagent.config.MqttAction;
import java.util.Map;

/** Describes what an action would do for a firing, rendered exactly as the dispatcher would, without doing it. */
public final class ActionPreview {

    private ActionPreview() {
    }

    public static String describe(ActionSpec step, Map<String, Object> fields) {
        if (step instanceof LogAction log) {
            return "log " + log.level() + " \"" + Template.render(log.message(), fields) + "\"";
        }
        MqttAction mqtt = (MqttAction) step;
        JsonNode payload = Template.render(mqtt.payload(), fields);
        return "mqtt " + Template.render(mqtt.topic(), fields) + " qos " + mqtt.qos() + (mqtt.retain() ? " retained " : " ")
                + (payload.isTextual() ? payload.textValue() : payload.toString());
    }
}
