package io.edgeagent.actions;

import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.EmitAction;
import io.edgeagent.config.ExecAction;
import io.edgeagent.config.HttpAction;
import io.edgeagent.config.LogAction;
import io.edgeagent.config.MqttAction;
import io.edgeagent.config.WorkflowAction;
import java.util.Map;

/**
 * Describes what an action would do for a firing, rendered exactly as the dispatcher would, without doing it; a
 * value the dispatcher would refuse is shown as the refusal. HTTP header values are not shown: they often hold secrets.
 */
public final class ActionPreview {

    private ActionPreview() {
    }

    public static String describe(ActionSpec step, Map<String, Object> fields) {
        try {
            return render(step, fields);
        } catch (RefusedValue e) {
            return step.type() + " " + e.getMessage();
        }
    }

    private static String render(ActionSpec step, Map<String, Object> fields) throws RefusedValue {
        if (step instanceof LogAction log) {
            return "log " + log.level() + " \"" + Template.render(log.message(), fields) + "\"";
        } else if (step instanceof MqttAction mqtt) {
            return "mqtt " + Template.topic(mqtt.topic(), fields) + " qos " + mqtt.qos()
                    + (mqtt.retain() ? " retained " : " ") + (Template.json(mqtt.payload(), fields));
        } else if (step instanceof ExecAction exec) {
            StringBuilder command = new StringBuilder("exec");
            for (String argument : exec.command()) {
                command.append(" [").append(Template.argument(argument, fields)).append(']');
            }
            return command.toString();
        } else if (step instanceof HttpAction http) {
            return "http " + http.method() + " " + Template.url(http.url(), fields)
                    + (http.body() == null ? "" : " " + (Template.json(http.body(), fields)));
        } else if (step instanceof EmitAction emit) {
            return "emit " + emit.event() + (emit.fields() == null ? "" : " " + (Template.json(emit.fields(), fields)));
        } else if (step instanceof WorkflowAction workflow) {
            return "workflow " + workflow.name();
        }
        return step.type();
    }
}
