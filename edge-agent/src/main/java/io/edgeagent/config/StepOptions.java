package io.edgeagent.config;

import java.time.Duration;
import java.util.List;

/**
 * The options every action step has besides its type's own keys (docs/actions.md): {@code retry}, {@code timeout},
 * {@code when}, {@code await}, {@code onFailure} ({@code continue}, {@code abort}, the default, or
 * {@code compensate}) and {@code compensate} (the steps run when it fails and {@code onFailure} is compensate).
 */
public interface StepOptions {

    String ON_FAILURE_CONTINUE = "continue";
    String ON_FAILURE_ABORT = "abort";
    String ON_FAILURE_COMPENSATE = "compensate";
    List<String> ON_FAILURE = List.of(ON_FAILURE_CONTINUE, ON_FAILURE_ABORT, ON_FAILURE_COMPENSATE);

    /** Never null: {@link RetryPolicy#NONE} when not set. */
    RetryPolicy retry();

    /** Null when the step type's default applies (exec 30s, http 10s). */
    Duration timeout();

    /** A {@link StepCondition}; null = always. */
    String when();

    /** Null = no acknowledgement awaited. */
    AwaitSpec await();

    /** Never null: abort when not set. */
    String onFailure();

    /** Never null. */
    List<ActionSpec> compensate();

    static RetryPolicy retryOrNone(RetryPolicy retry) {
        return retry == null ? RetryPolicy.NONE : retry;
    }

    static String onFailureOrAbort(String onFailure) {
        return onFailure == null ? ON_FAILURE_ABORT : onFailure;
    }

    static List<ActionSpec> listOrEmpty(List<ActionSpec> steps) {
        return steps == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(steps));
    }
}
