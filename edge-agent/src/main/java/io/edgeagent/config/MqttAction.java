package io.edgeagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * Publishes a command. {@code payload} is a YAML value: a string is sent as it is, a mapping or list as JSON; in both,
 * {@code {field}} placeholders are filled from the rule's output, and a string that is exactly one placeholder keeps
 * the field's type (a number stays a number).
 */
public record MqttAction(@Templated String topic, @Templated JsonNode payload, Integer qos, Boolean retain, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public static final int DEFAULT_QOS = 1;

    public MqttAction {
        qos = qos == null ? DEFAULT_QOS : qos;
        retain = retain == null ? Boolean.FALSE : retain;
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    @Override
    public String type() {
        return "mqtt";
    }
}
