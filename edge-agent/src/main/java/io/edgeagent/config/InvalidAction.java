package io.edgeagent.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Stands in for an action whose {@code type} is missing or unknown, so that binding can go on and report the file's
 * other problems too. The problem itself is already recorded; a rule holding one is always rejected.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record InvalidAction() implements ActionSpec {

    @Override
    public String type() {
        return "invalid";
    }

    @Override
    public RetryPolicy retry() {
        return RetryPolicy.NONE;
    }

    @Override
    public java.time.Duration timeout() {
        return null;
    }

    @Override
    public String when() {
        return null;
    }

    @Override
    public AwaitSpec await() {
        return null;
    }

    @Override
    public String onFailure() {
        return ON_FAILURE_ABORT;
    }

    @Override
    public java.util.List<ActionSpec> compensate() {
        return java.util.List.of();
    }
}
