package io.edgeagent.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One action run as {@code /api/actions/...} and {@code edge-agent actions} show it; {@code steps} only for one run
 * ({@code GET /api/actions/runs/ID}), absent in lists.
 */
public record ActionRunView(long id, String rule, String key, String status, String started, String ended,
                            String error, Long retryOf, Long retriedBy, Map<String, Object> fields,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Step> steps) {

    public record Step(String path, String type, int attempts, String outcome, String error, String output,
                       long durationMs) {
    }
}
