package io.edgeagent.agent;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the pipeline thread, read by status and metrics. */
public final class PipelineCounters {

    final AtomicLong messages = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong checkpoints = new AtomicLong();
    final AtomicLong bufferErrors = new AtomicLong();

    public long messages() {
        return messages.get();
    }

    public long events() {
        return events.get();
    }

    public long decodeErrors() {
        return decodeErrors.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long checkpoints() {
        return checkpoints.get();
    }

    public long bufferErrors() {
        return bufferErrors.get();
    }
}
