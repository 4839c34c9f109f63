package io.edgeagent.actions;

/**
 * What one action step did for one firing. {@code detail} is the rendered message or topic; {@code error} is null on
 * success.
 */
public record ActionResult(String rule, String key, String type, String detail, long startedAt, long durationMicros,
                           String error) {

    public boolean succeeded() {
        return error == null;
    }
}
