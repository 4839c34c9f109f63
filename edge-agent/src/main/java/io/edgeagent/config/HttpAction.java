package io.edgeagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls a webhook: {@code method} (default POST) on {@code url}, with {@code headers} (values may come from
 * {@code ${ENV:NAME}}; they are never logged or recorded) and an optional JSON {@code body} template. The step
 * succeeds on a status in {@code successCodes} (default any 2xx) within {@code timeout} (default 10s).
 */
public record HttpAction(String method, @Templated String url, Map<String, String> headers, @Templated JsonNode body,
                         List<Integer> successCodes, RetryPolicy retry, Duration timeout, String when, AwaitSpec await,
                         String onFailure, List<ActionSpec> compensate) implements ActionSpec {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    public HttpAction {
        method = method == null ? "POST" : method.toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        successCodes = successCodes == null ? List.of()
                : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(successCodes));
        retry = StepOptions.retryOrNone(retry);
        onFailure = StepOptions.onFailureOrAbort(onFailure);
        compensate = StepOptions.listOrEmpty(compensate);
    }

    /** True when {@code status} counts as success: listed, or any 2xx when none are listed. */
    public boolean succeeded(int status) {
        return successCodes.isEmpty() ? status >= 200 && status < 300 : successCodes.contains(status);
    }

    @Override
    public String type() {
        return "http";
    }
}
