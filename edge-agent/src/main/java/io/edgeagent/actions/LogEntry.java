package io.edgeagent.actions;

import java.util.concurrent.CompletableFuture;

/** What {@link ActionLog} callers queue for its writer thread. */
sealed interface LogEntry {

    /** A record of a run: counted as unrecorded when it cannot be written. */
    sealed interface Record extends LogEntry {
        long runId();

        /** For a log line about a record H2 refused. */
        String describe();
    }

    /**
     * @param fields   the firing's fields as JSON, written by the caller (the map is the caller's)
     * @param recorded completed with whether the start was written, for a caller that waits (a retry); else null
     */
    record Start(long runId, String rule, String key, String fields, long started, long retryOf,
                 CompletableFuture<Boolean> recorded) implements Record {
        @Override
        public String describe() {
            return "the start of action run " + runId + " of rule " + rule;
        }
    }

    record Step(long runId, int seq, ActionRun.Step step) implements Record {
        @Override
        public String describe() {
            return "step " + step.path() + " of action run " + runId;
        }
    }

    record Finish(long runId, String status, String error, long ended) implements Record {
        @Override
        public String describe() {
            return "the end of action run " + runId + " (" + status + ")";
        }
    }

    /** Completed once everything queued before it is written or counted: what a read waits for. */
    record Barrier(CompletableFuture<Void> passed) implements LogEntry {
    }

    /** The writer's last entry, queued by close. */
    record Stop() implements LogEntry {
    }
}
