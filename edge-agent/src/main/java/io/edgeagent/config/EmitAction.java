package io.edgeagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * Appends a derived event (kind {@code Derived}, e.g. an alert) to the buffer for upload. {@code event} names it;
 * {@code fields} is a mapping whose string values are templates (a value that is exactly one placeholder keeps the
 * field's type).
 */
public record EmitAction(String event, @Templated JsonNode fields, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public EmitAction {
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    @Override
    public String type() {
        return "emit";
    }
}
