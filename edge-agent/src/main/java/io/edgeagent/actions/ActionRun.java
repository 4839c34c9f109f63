package io.edgeagent.actions;

import java.util.List;
import java.util.Map;

/**
 * One recorded run of a rule's steps, as the action log keeps it. {@code status} is running, succeeded, failed or
 * interrupted; times are epoch milliseconds ({@code ended} 0 while running); {@code retryOf} is the run this one
 * retried (0: none) and {@code retriedBy} the latest run that retried this one (0: none).
 */
public record ActionRun(long id, String rule, String key, Map<String, Object> fields, String status, long started,
                        long ended, String error, long retryOf, long retriedBy, List<Step> steps) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String INTERRUPTED = "interrupted";

    /**
     * One step result. {@code path} is the step's place: {@code 2} for the rule's third step, {@code 2.0} for the first
     * step of the workflow it calls, {@code 2.c0} for its first compensation step. {@code outcome} is ok, failed or
     * skipped (its {@code when} was false). {@code output} is the captured program output or HTTP answer (bounded).
     */
    public record Step(String path, String type, int attempts, String outcome, String error, String output,
                       long started, long ended) {
    }
}
