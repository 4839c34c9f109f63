package io.edgeagent.pipeline;

import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.pipeline.MessageDecoding.RejectedMessageException;
import io.edgeagent.threads.Backoff;
import io.edgeagent.logtext.PowersOfTen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline thread: takes messages off the hand-off queue in batches, decodes them, appends events and dead
 * letters to the {@link EventStore} in one transaction, sends the events to the {@link EventSink} (the rules), and
 * acknowledges the messages after the checkpoint that made them durable (group commit).
 *
 * <p>A checkpoint runs when the oldest unacknowledged message has waited {@code commitInterval}, when
 * {@code maxBatch} messages are waiting, or when the queue has been idle for {@link #IDLE_GAP} and the broker may be
 * waiting for acknowledgements: a broker that limits in-flight messages stops sending until it gets them, so waiting
 * out the full interval would cap throughput at (in-flight window / interval). The broker does not say its window,
 * but it has already let {@link #windowFloor} messages wait unacknowledged; fewer than half of that waiting is a gap
 * between readings, not a broker at its limit, and a checkpoint there would cost a chunk write for a few messages
 * (at 1,000 msg/s with a gap every few readings, a checkpoint every 4 messages: the buffer's page writer used most
 * of a core). A queue still idle after {@link #LONG_GAP} is checkpointed anyway and lowers the floor: a broker whose
 * window is smaller than the floor (a new connection, another broker) costs that long a pause once. That waiting
 * needs a transport that acknowledges TCP segments at once ({@code everyGap} false): otherwise the broker's Nagle
 * hold waits for the next PUBACK, and a checkpoint at every gap is what keeps the readings moving.
 *
 * <p>Faults are contained per message: whatever a decoder throws makes that message a dead letter, whatever the rules
 * throw for an event is counted (the event is already stored), and neither stops the thread. Only an error that leaves
 * the JVM unusable ({@link Faults#isFatal}) ends the thread; the {@link PipelineSupervisor} then stops the agent, and
 * the {@link InflightJournal} keeps the message that did it from doing it again after the restart.
 *
 * <p>If the store refuses (backpressure, disk space, I/O error) the batch is retried with backoff and nothing is
 * acknowledged, so ingest stalls and the broker keeps the messages: no event is dropped. Each such episode is logged
 * once when it starts and once when it ends, and {@link #health()} reports it meanwhile.
 */
public final class Pipeline implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final Duration IDLE_GAP = Duration.ofMillis(2);
    static final Duration LONG_GAP = Duration.ofMillis(20);
    private static final long IDLE_POLL_MS = 100;

    private final BlockingQueue<InboundMessage> queue;
    private final MessageDecoding decoder;
    private final EventStore store;
    private final EventSink sink;
    private final InflightJournal journal;
    private final long commitIntervalNanos;
    private final int maxBatch;
    private final boolean everyGap;
    private final long longGapNanos;
    private final PipelineCounters counters;
    private final List<Runnable> pendingAcks = new ArrayList<>();
    private long oldestPendingNanos;
    /**
     * The most messages that have waited unacknowledged at once since the last checkpoint that a long gap or the
     * commit interval forced, when it is set to what was waiting then. An estimate of the broker's in-flight window
     * from below; QoS 0 messages, which the window does not limit, can put it too high, and the next forced checkpoint
     * corrects it.
     */
    private int windowFloor;
    private volatile boolean stopping;
    /** {@link System#nanoTime()} when the current batch started, 0 while idle or holding: the supervisor's stall clock. */
    private volatile long busySince;
    private volatile Hold hold;

    /** A store refusal in progress: what and since when. */
    record Hold(StoreUnavailableException.Reason reason, String message, long sinceMillis, boolean checkpoint) {
    }

    public Pipeline(BlockingQueue<InboundMessage> queue, MessageDecoding decoder, EventStore store, EventSink sink,
                    InflightJournal journal, Duration commitInterval, int maxBatch, boolean everyGap,
                    PipelineCounters counters) {
        this(queue, decoder, store, sink, journal, commitInterval, maxBatch, everyGap, LONG_GAP, counters);
    }

    /** @param longGap how long an idle queue waits for more before it is checkpointed anyway ({@link #LONG_GAP}) */
    Pipeline(BlockingQueue<InboundMessage> queue, MessageDecoding decoder, EventStore store, EventSink sink,
             InflightJournal journal, Duration commitInterval, int maxBatch, boolean everyGap, Duration longGap,
             PipelineCounters counters) {
        this.longGapNanos = Math.max(longGap.toNanos(), IDLE_GAP.toNanos());
        this.queue = queue;
        this.decoder = decoder;
        this.store = store;
        this.sink = sink;
        this.journal = journal;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.maxBatch = Math.min(maxBatch, journal.capacity());
        this.everyGap = everyGap;
        this.counters = counters;
    }

    /** Asks the thread to finish: it drains the queue, checkpoints, acknowledges, then returns. */
    public void stop() {
        stopping = true;
    }

    /** What the thread is doing, for readiness and status; read from any thread. */
    public PipelineHealth health() {
        Hold current = hold;
        if (current != null) {
            return PipelineHealth.holding(current.reason(), current.message(), current.sinceMillis());
        }
        return PipelineHealth.RUNNING;
    }

    /** Nanos since the current batch started, or 0 when none is in progress (idle, or holding for the store). */
    long busyNanos() {
        long since = busySince;
        return since == 0 ? 0 : Math.max(1, System.nanoTime() - since);
    }

    @Override
    public void run() {
        List<InboundMessage> batch = new ArrayList<>(maxBatch);
        boolean gapSeen = false;
        try {
            while (true) {
                InboundMessage first = queue.poll(pollTimeoutNanos(gapSeen), TimeUnit.NANOSECONDS);
                if (first == null) {
                    if (!pendingAcks.isEmpty()) {
                        gapSeen = afterGap(gapSeen);
                    } else if (stopping) {
                        return;
                    }
                    continue;
                }
                gapSeen = false;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (journal.expectsRedelivery()) {
                    // Each suspect alone, made durable and acknowledged before the next, so that a poison message
                    // takes nothing else with it into the next restart.
                    for (InboundMessage message : batch) {
                        process(List.of(message));
                        checkpointAndAcknowledge();
                    }
                } else {
                    process(batch);
                }
                batch.clear();
                windowFloor = Math.max(windowFloor, pendingAcks.size());
                if (pendingAcks.size() >= maxBatch) {
                    checkpointAndAcknowledge();
                } else if (due()) {
                    forcedCheckpoint();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Pipeline interrupted with {} messages unacknowledged; the broker will redeliver them.",
                    pendingAcks.size());
        }
    }

    /** The queue was idle for a gap: checkpoints, or returns true to wait for the rest of the long gap. */
    private boolean afterGap(boolean gapSeen) throws InterruptedException {
        if (gapSeen || due()) {
            forcedCheckpoint();
        } else if (stopping || everyGap || 2L * pendingAcks.size() >= windowFloor) {
            checkpointAndAcknowledge();
        } else {
            return true;
        }
        return false;
    }

    private boolean due() {
        return System.nanoTime() - oldestPendingNanos >= commitIntervalNanos;
    }

    /** A checkpoint the interval or a long gap forced: what waits now may be all the broker's window allows. */
    private void forcedCheckpoint() throws InterruptedException {
        windowFloor = pendingAcks.size();
        checkpointAndAcknowledge();
    }

    /** Until the checkpoint is due, or the end of the gap (short, or long once a short one did not call for one). */
    private long pollTimeoutNanos(boolean gapSeen) {
        if (pendingAcks.isEmpty()) {
            return TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MS);
        }
        long untilDue = Math.max(0, oldestPendingNanos + commitIntervalNanos - System.nanoTime());
        long gap = gapSeen ? longGapNanos - IDLE_GAP.toNanos() : IDLE_GAP.toNanos();
        return Math.min(gap, untilDue);
    }

    private void process(List<InboundMessage> batch) throws InterruptedException {
        busySince = System.nanoTime();
        journal.begin(batch);
        List<Event> events = new ArrayList<>(batch.size());
        List<DeadLetter> deadLetters = new ArrayList<>(0);
        for (InboundMessage message : batch) {
            DeadLetter rejected = decode(message, events);
            if (rejected != null) {
                deadLetters.add(rejected);
            }
        }
        appendWithRetry(events, deadLetters);
        busySince = System.nanoTime();
        counters.messages.addAndGet(batch.size());
        counters.events.addAndGet(events.size());
        if (pendingAcks.isEmpty()) {
            oldestPendingNanos = System.nanoTime();
        }
        for (InboundMessage message : batch) {
            pendingAcks.add(message.acknowledgement());
        }
        for (Event event : events) {
            sendToRules(event);
        }
        journal.end();
        busySince = 0;
    }

    /** Adds the message's events to {@code events}, or returns the dead letter that replaces it. */
    private DeadLetter decode(InboundMessage message, List<Event> events) {
        String reason;
        if (journal.takePoison(message)) {
            long poisoned = counters.poisoned.incrementAndGet();
            reason = "the agent stopped abnormally twice while processing this message; dead-lettered unprocessed "
                    + "so that its redelivery cannot stop the agent again";
            LOG.error("A message on {} stopped the agent twice and went to the dead-letter table unprocessed (#{}).",
                    message.topic(), poisoned);
        } else {
            try {
                events.addAll(decoder.decode(message));
                return null;
            } catch (RejectedMessageException e) {
                reason = e.getMessage();
                long errors = counters.decodeErrors.incrementAndGet();
                LOG.warn("Message on {} could not be decoded and went to the dead-letter table (#{}): {}",
                        message.topic(), errors, reason);
            } catch (RuntimeException | Error e) {
                Faults.rethrowIfFatal(e);
                reason = "the decoder failed: " + Faults.describe(e);
                long faults = counters.decodeFaults.incrementAndGet();
                counters.decodeErrors.incrementAndGet();
                if (faults == 1) {
                    LOG.error("The decoder failed on a message on {}; it went to the dead-letter table. This is a bug, "
                            + "please report it with this trace.", message.topic(), e);
                } else if (PowersOfTen.isPowerOfTen(faults)) {
                    LOG.error("The decoder failed on {} messages so far; the latest on {}: {}", faults,
                            message.topic(), Faults.describe(e));
                }
            }
        }
        return new DeadLetter(message.topic(), message.payload(), reason, message.receivedTime());
    }

    private void sendToRules(Event event) {
        try {
            sink.send(event);
        } catch (RuntimeException | Error e) {
            Faults.rethrowIfFatal(e);
            long faults = counters.ruleFaults.incrementAndGet();
            if (faults == 1 || PowersOfTen.isPowerOfTen(faults)) {
                LOG.error("The rules failed on an event of {} ({} such failures so far; the event is stored and will "
                        + "be uploaded): {}", event.deviceId(), faults, Faults.describe(e));
            }
        }
    }

    private void appendWithRetry(List<Event> events, List<DeadLetter> deadLetters) throws InterruptedException {
        Backoff backoff = null;
        while (true) {
            try {
                store.append(events, deadLetters);
                endHold();
                return;
            } catch (StoreUnavailableException e) {
                switch (e.reason()) {
                    case FULL -> startHold(e, false, "the buffer is full ({}); under the backpressure policy "
                            + "ingest pauses with {} events unacknowledged, and the broker holds further messages, "
                            + "until the uplink has drained some of the buffer.", events.size());
                    case NO_SPACE -> startHold(e, false, "the disk is nearly full ({}); ingest pauses with {} "
                            + "events unacknowledged, and the broker holds further messages, until space is freed.",
                            events.size());
                    case FAULT -> {
                        counters.bufferErrors.incrementAndGet();
                        startHold(e, false, "cannot store events ({}); holding {} events unacknowledged, so the "
                                + "broker keeps them, and retrying until the storage works again.",
                                events.size() + deadLetters.size());
                    }
                }
                backoff = backoff == null ? new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)) : backoff;
                // A refusal leaves earlier batches stored: acknowledge them now rather than after the whole episode.
                if (!pendingAcks.isEmpty() && e.reason() != StoreUnavailableException.Reason.FAULT) {
                    checkpointAndAcknowledge();
                }
                Thread.sleep(backoff.nextDelayMs());
            }
        }
    }

    private void checkpointAndAcknowledge() throws InterruptedException {
        Backoff backoff = null;
        while (true) {
            try {
                long started = System.nanoTime();
                store.checkpoint();
                counters.checkpointTime.observeNanos(System.nanoTime() - started);
                if (hold != null && hold.checkpoint()) {
                    endHold();
                }
                break;
            } catch (StoreUnavailableException e) {
                counters.bufferErrors.incrementAndGet();
                startHold(e, true, "cannot checkpoint the buffer ({}); {} messages stay unacknowledged until it "
                        + "works again.", pendingAcks.size());
                backoff = backoff == null ? new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)) : backoff;
                Thread.sleep(backoff.nextDelayMs());
            }
        }
        counters.checkpoints.incrementAndGet();
        for (Runnable ack : pendingAcks) {
            ack.run();
        }
        counters.acknowledged.addAndGet(pendingAcks.size());
        pendingAcks.clear();
    }

    /** Logs the first refusal of an episode only; the stall clock does not run while the store holds us. */
    private void startHold(StoreUnavailableException e, boolean checkpoint, String sentence, int count) {
        busySince = 0;
        if (hold == null || hold.reason() != e.reason()) {
            hold = new Hold(e.reason(), e.getMessage(), System.currentTimeMillis(), checkpoint);
            String line = sentence.substring(0, 1).toUpperCase() + sentence.substring(1);
            if (e.reason() == StoreUnavailableException.Reason.FULL) {
                LOG.warn(line, e.getMessage(), count);
            } else {
                LOG.error(line, e.getMessage(), count);
            }
        }
    }

    private void endHold() {
        Hold ended = hold;
        if (ended != null) {
            hold = null;
            LOG.info("The buffer accepts writes again after {} s ({}).",
                    (System.currentTimeMillis() - ended.sinceMillis()) / 1000, ended.reason().name().toLowerCase());
        }
    }
}
