package io.edgeagent.pipeline;

import io.edgeagent.metrics.Histogram;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of the pipeline thread, read by status and metrics. */
public final class PipelineCounters {

    final AtomicLong messages = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong checkpoints = new AtomicLong();
    final AtomicLong bufferErrors = new AtomicLong();
    final AtomicLong decodeFaults = new AtomicLong();
    final AtomicLong ruleFaults = new AtomicLong();
    final AtomicLong poisoned = new AtomicLong();
    final Histogram checkpointTime = new Histogram();

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

    /** Messages a decoder threw on unexpectedly (a bug); they are also among {@link #decodeErrors()}. */
    public long decodeFaults() {
        return decodeFaults.get();
    }

    /** Events the rules threw on; the events are stored all the same. */
    public long ruleFaults() {
        return ruleFaults.get();
    }

    /** Messages dead-lettered unprocessed because they stopped the agent twice. */
    public long poisoned() {
        return poisoned.get();
    }

    /** How long each successful buffer checkpoint took (the commit before messages are acknowledged). */
    public Histogram checkpointTime() {
        return checkpointTime;
    }
}
