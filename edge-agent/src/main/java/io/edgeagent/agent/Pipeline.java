package io.edgeagent.agent;

import io.edgeagent.buffer.BufferException;
import io.edgeagent.buffer.BufferFullException;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.rules.RuleEngine;
import io.edgeagent.support.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline thread: takes messages off the hand-off queue in batches, decodes them, appends events and dead
 * letters to the buffer in one transaction, feeds the events to the rules, and acknowledges the messages after the
 * checkpoint that made them durable (group commit).
 *
 * <p>A checkpoint runs when the oldest unacknowledged message has waited {@code commitInterval}, when
 * {@code maxBatch} messages are waiting, or as soon as the queue has been idle for {@link #IDLE_GAP}: a broker that
 * limits in-flight messages stops sending until it gets acknowledgements, so waiting out the full interval would cap
 * throughput at (in-flight window / interval).
 *
 * <p>If the buffer fails (disk full, I/O error) the batch is retried with backoff and nothing is acknowledged, so
 * ingest stalls and the broker keeps the messages: no event is dropped. A buffer full under the {@code backpressure}
 * policy is handled the same way, logged once per episode rather than per retry.
 */
final class Pipeline implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final Duration IDLE_GAP = Duration.ofMillis(2);
    private static final long IDLE_POLL_MS = 100;

    private final BlockingQueue<InboundMessage> queue;
    private final MessageDecoder decoder;
    private final H2Buffer buffer;
    private final RuleEngine engine;
    private final long commitIntervalNanos;
    private final int maxBatch;
    private final PipelineCounters counters;
    private final List<Runnable> pendingAcks = new ArrayList<>();
    private long oldestPendingNanos;
    private volatile boolean stopping;

    Pipeline(BlockingQueue<InboundMessage> queue, MessageDecoder decoder, H2Buffer buffer, RuleEngine engine,
             BufferConfig config, PipelineCounters counters) {
        this.queue = queue;
        this.decoder = decoder;
        this.buffer = buffer;
        this.engine = engine;
        this.commitIntervalNanos = config.commitInterval().toNanos();
        this.maxBatch = config.maxBatch();
        this.counters = counters;
    }

    /** Asks the thread to finish: it drains the queue, checkpoints, acknowledges, then returns. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        List<InboundMessage> batch = new ArrayList<>(maxBatch);
        try {
            while (true) {
                InboundMessage first = queue.poll(pollTimeoutNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    if (!pendingAcks.isEmpty()) {
                        checkpointAndAcknowledge();
                    } else if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                process(batch);
                batch.clear();
                if (pendingAcks.size() >= maxBatch || System.nanoTime() - oldestPendingNanos >= commitIntervalNanos) {
                    checkpointAndAcknowledge();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Pipeline interrupted with {} messages unacknowledged; the broker will redeliver them.",
                    pendingAcks.size());
        }
    }

    private long pollTimeoutNanos() {
        if (pendingAcks.isEmpty()) {
            return TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS);
        }
        long untilDue = oldestPendingNanos + commitIntervalNanos - System.nanoTime();
        return Math.max(0, Math.min(IDLE_GAP.toNanos(), untilDue));
    }

    private void process(List<InboundMessage> batch) throws InterruptedException {
        List<Event> events = new ArrayList<>(batch.size());
        List<DeadLetter> deadLetters = new ArrayList<>(0);
        for (InboundMessage message : batch) {
            try {
                events.addAll(decoder.decode(message.topic(), message.payload(), message.receivedTime()));
            } catch (DecodeException e) {
                deadLetters.add(new DeadLetter(message.topic(), message.payload(), e.getMessage(), message.receivedTime()));
                long errors = counters.decodeErrors.incrementAndGet();
                LOG.warn("Message on {} could not be decoded and went to the dead-letter table (#{}): {}",
                        message.topic(), errors, e.getMessage());
            }
        }
        appendWithRetry(events, deadLetters);
        counters.messages.addAndGet(batch.size());
        counters.events.addAndGet(events.size());
        if (pendingAcks.isEmpty()) {
            oldestPendingNanos = System.nanoTime();
        }
        for (InboundMessage message : batch) {
            pendingAcks.add(message.acknowledgement());
        }
        for (Event event : events) {
            engine.send(event);
        }
    }

    private void appendWithRetry(List<Event> events, List<DeadLetter> deadLetters) throws InterruptedException {
        Backoff backoff = null;
        long fullSince = 0;
        while (true) {
            try {
                buffer.append(events, deadLetters);
                if (fullSince != 0) {
                    LOG.info("The buffer accepts events again after {} s of backpressure.",
                            (System.nanoTime() - fullSince) / 1_000_000_000L);
                } else if (backoff != null) {
                    LOG.info("The buffer accepts writes again.");
                }
                return;
            } catch (BufferFullException e) {
                if (fullSince == 0) {
                    fullSince = System.nanoTime();
                    LOG.warn("The buffer is full ({}); under the backpressure policy ingest pauses with {} events "
                            + "unacknowledged, and the broker holds further messages, until the uplink has drained "
                            + "some of the buffer.", e.getMessage(), events.size());
                    // Earlier batches are stored already: acknowledge them now rather than for the whole episode.
                    if (!pendingAcks.isEmpty()) {
                        checkpointAndAcknowledge();
                    }
                }
                backoff = backoff == null ? new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)) : backoff;
                Thread.sleep(backoff.nextDelayMs());
            } catch (BufferException e) {
                counters.bufferErrors.incrementAndGet();
                backoff = backoff == null ? new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)) : backoff;
                long delay = backoff.nextDelayMs();
                LOG.error("Cannot store {} events ({}); holding them unacknowledged and retrying in {} ms.",
                        events.size() + deadLetters.size(), e.getMessage(), delay);
                Thread.sleep(delay);
            }
        }
    }

    private void checkpointAndAcknowledge() throws InterruptedException {
        Backoff backoff = null;
        while (true) {
            try {
                buffer.checkpoint();
                break;
            } catch (BufferException e) {
                counters.bufferErrors.incrementAndGet();
                backoff = backoff == null ? new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10)) : backoff;
                long delay = backoff.nextDelayMs();
                LOG.error("Cannot checkpoint the buffer ({}); retrying in {} ms.", e.getMessage(), delay);
                Thread.sleep(delay);
            }
        }
        counters.checkpoints.incrementAndGet();
        for (Runnable ack : pendingAcks) {
            ack.run();
        }
        counters.acknowledged.addAndGet(pendingAcks.size());
        pendingAcks.clear();
    }
}
