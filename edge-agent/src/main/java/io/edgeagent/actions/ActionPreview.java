package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.EmitAction;
import io.edgeagent.config.ExecAction;
import io.edgeagent.config.HttpAction;
import io.edgeagent.config.LogAction;
import io.edgeagent.config.MqttAction;
import io.edgeagent.config.WorkflowAction;
import java.util.Map;

/**
 * Describes what an action would do for a firing, rendered exactly as the dispatcher would, without doing it. HTTP
 * header values are not shown: they often hold secrets.
 */
public final class ActionPreview {

    private ActionPreview() {
    }

    public static String describe(ActionSpec step, Map<String, Object> fields) {
        if (step instanceof LogAction log) {
            return "log " + log.level() + " \"" + Template.render(log.message(), fields) + "\"";
        } else if (step instanceof MqttAction mqtt) {
            return "mqtt " + Template.render(mqtt.topic(), fields) + " qos " + mqtt.qos()
                    + (mqtt.retain() ? " retained " : " ") + text(Template.render(mqtt.payload(), fields));
        } else if (step instanceof ExecAction exec) {
            return "exec " + exec.command().stream().map(a -> "[" + Template.render(a, fields) + "]")
                    .reduce((a, b) -> a + " " + b).orElse("");
        } else if (step instanceof HttpAction http) {
            return "http " + http.method() + " " + Template.render(http.url(), fields)
                    + (http.body() == null ? "" : " " + text(Template.render(http.body(), fields)));
        } else if (step instanceof EmitAction emit) {
            return "emit " + emit.event() + (emit.fields() == null ? "" : " " + text(Template.render(emit.fields(), fields)));
        } else if (step instanceof WorkflowAction workflow) {
            return "workflow " + workflow.name();
        }
        return step.type();
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : node.toString();
    }
}
