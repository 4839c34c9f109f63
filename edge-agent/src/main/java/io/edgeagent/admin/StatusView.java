package io.edgeagent.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** {@code GET /api/status} and {@code edge-agent status}: the running agent at a glance (docs/admin-api.md). */
public record StatusView(String version, long uptimeSeconds, boolean ready, Broker broker, Ingest ingest,
                         Pipeline pipeline, @JsonInclude(JsonInclude.Include.NON_NULL) Transport transport,
                         Rules rules, @JsonInclude(JsonInclude.Include.NON_NULL) Memory memory, Actions actions,
                         Buffer buffer, Uplink uplink) {

    public record Broker(String url, String clientId, String state, String lastError) {
    }

    public record Ingest(long messages, long events, long decodeErrors, long acknowledged, long queued) {
    }

    /** {@code since} is null while the pipeline runs. */
    public record Pipeline(String state, String reason, String since, long decodeFaults, long ruleFaults,
                           long poisoned) {
    }

    /** The MQTT transport's counters; absent before the ingest connection is set up. */
    public record Transport(long pauses, long refused, long lostQos0, long redelivered, long unacknowledged,
                            long badTopics, long transportFailures, long renewals,
                            long suspectedTakeovers) {
    }

    /** The heap guard: old generation in use after the last collection, and the rules it disabled to release state. */
    public record Memory(double heapUsedAfterGc, double guardThreshold, List<String> rulesDisabledByGuard) {
    }

    public record Rules(long running, long disabled, long rejectedFiles, long fired) {
    }

    public record Actions(long ok, long failed, long refused, long deduplicated, long runsSucceeded, long runsFailed) {
    }

    /**
     * The buffer figures kept in memory (never a scan of the outbox): {@code fileBytes} is the database file,
     * {@code storedBytes} the event JSON waiting for upload, as in {@link BufferView}.
     */
    public record Buffer(long events, long storedBytes, long fileBytes, String oldest, long oldestAgeSeconds,
                         long dropped, long lost, long deadLetters, Storage storage, long refusedForSpace,
                         long storageFaults) {
    }

    /** {@code reason} and {@code since} only while the buffer does not take writes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Storage(String state, String reason, String since) {
    }

    /**
     * {@code {"enabled": false}} without an uplink, else {@link Enabled}; read back by the fields present (an answer
     * with only {@code enabled} is {@link Disabled}).
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION, defaultImpl = Disabled.class)
    @JsonSubTypes({@JsonSubTypes.Type(Disabled.class), @JsonSubTypes.Type(Enabled.class)})
    public sealed interface Uplink permits Disabled, Enabled {
        boolean enabled();
    }

    public record Disabled(boolean enabled) implements Uplink {
        public Disabled() {
            this(false);
        }
    }

    public record Enabled(boolean enabled, String target, boolean connected, long sentEvents, double eventsPerSecond,
                          long failedAttempts, long rejectedEvents, long consecutiveFailures, String lastError,
                          String lastSuccess)
            implements Uplink {
    }
}
