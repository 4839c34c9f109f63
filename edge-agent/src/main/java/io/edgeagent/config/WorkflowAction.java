package io.edgeagent.config;

import java.time.Duration;
import java.util.List;

/**
 * Runs the named workflow ({@code actions.workflows.<name>} in the configuration) as one step: it succeeds when the
 * workflow's steps did, and its own options (retry, when, onFailure) apply to the whole workflow.
 */
public record WorkflowAction(String name, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public WorkflowAction {
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    @Override
    public String type() {
        return "workflow";
    }
}
