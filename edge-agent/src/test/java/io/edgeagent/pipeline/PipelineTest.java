package io.edgeagent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.event.Reading;
import io.edgeagent.pipeline.StoreUnavailableException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's contracts against a store that fails on demand: acknowledgements only after a checkpoint, none while
 * the store refuses, faults contained per message, and redelivery loops broken by the journal.
 */
class PipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Everything that happened, in order: "append N", "checkpoint", "ack topic", "refused", "rules topic". */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final TestStore store = new TestStore();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final BlockingQueue<InboundMessage> queue = new ArrayBlockingQueue<>(100);
    private final PipelineCounters counters = new PipelineCounters();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final List<PipelineSupervisor> supervisors = new ArrayList<>();
    private final List<InflightJournal> journals = new ArrayList<>();

    /** A store in memory whose next calls fail as the test says. */
    private final class TestStore implements EventStore {
        final AtomicInteger appendFailures = new AtomicInteger();
        volatile Reason failWith = Reason.FAULT;
        final AtomicInteger checkpointFailures = new AtomicInteger();
        volatile Reason checkpointFailWith = Reason.FAULT;

        @Override
        public void append(List<? extends Event> events, List<DeadLetter> letters) {
            if (appendFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add("refused");
                throw new StoreUnavailableException(failWith, "test refusal " + failWith, null);
            }
            deadLetters.addAll(letters);
            log.add("append " + events.size() + "+" + letters.size());
        }

        @Override
        public void checkpoint() {
            if (checkpointFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                log.add("checkpoint failed");
                throw new StoreUnavailableException(checkpointFailWith, "test checkpoint failure", null);
            }
            log.add("checkpoint");
        }
    }

    @AfterEach
    void stop() {
        supervisors.forEach(s -> s.stop(Duration.ofSeconds(2)));
        journals.forEach(InflightJournal::close);
    }

    private static final MessageDecoding DECODER = message -> {
        String text = new String(message.payload(), StandardCharsets.UTF_8);
        return switch (text) {
            case "bad" -> throw new MessageDecoding.RejectedMessageException("not a reading");
            case "overflow" -> throw new ArithmeticException("long overflow");
            case "deep" -> throw new StackOverflowError();
            case "oom" -> throw new OutOfMemoryError("Java heap space (test)");
            default -> List.of(new Reading("id-" + text, "dev-" + text, "t", Double.parseDouble(text), null,
                    message.receivedTime(), message.receivedTime(), message.topic()));
        };
    };

    private PipelineSupervisor start(EventSink sink, Duration stallTimeout) {
        return start(sink, stallTimeout, Duration.ofMillis(5));
    }

    private PipelineSupervisor start(EventSink sink, Duration stallTimeout, Duration commitInterval) {
        return start(sink, stallTimeout, commitInterval, false, Pipeline.LONG_GAP);
    }

    private PipelineSupervisor start(EventSink sink, Duration stallTimeout, Duration commitInterval,
                                     boolean everyGap, Duration longGap) {
        InflightJournal journal = InflightJournal.open(dir.resolve("pipeline.journal"), 100);
        journals.add(journal);
        Pipeline pipeline = new Pipeline(queue, DECODER, store, sink, journal, commitInterval, 100, everyGap,
                longGap, counters);
        PipelineSupervisor supervisor = new PipelineSupervisor(pipeline, stallTimeout, failure::set);
        supervisors.add(supervisor);
        supervisor.start();
        return supervisor;
    }

    private PipelineSupervisor start() {
        return start(event -> log.add("rules " + event.deviceId()), Duration.ofSeconds(30));
    }

    private void publish(String topic, String payload) throws InterruptedException {
        publish(topic, payload, () -> log.add("ack " + topic));
    }

    private void publish(String topic, String payload, Runnable acknowledgement) throws InterruptedException {
        queue.put(new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(),
                acknowledgement));
    }

    private List<String> snapshot() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    @Test
    void acknowledgement_comesOnlyAfterTheCheckpointThatCoversTheAppend() throws InterruptedException {
        start();
        publish("a", "1");
        await().atMost(WAIT).until(() -> snapshot().contains("ack a"));
        List<String> seen = snapshot();
        assertThat(seen.indexOf("append 1+0")).isLessThan(seen.indexOf("checkpoint"));
        assertThat(seen.indexOf("checkpoint")).isLessThan(seen.indexOf("ack a"));
        assertThat(counters.acknowledged()).isEqualTo(1);
    }

    /**
     * A broker with an in-flight window of 5 sends nothing more until it gets acknowledgements. Forty messages waited
     * at once before, so five waiting looks like a gap between readings; the pipeline must still find out, after a
     * long gap, and then acknowledge the windows at their gaps, not after the (here one-minute) commit interval.
     */
    @Test
    void brokerAtASmallInFlightWindow_getsItsWindowsAcknowledgedAtTheirGaps() throws InterruptedException {
        AtomicInteger acknowledged = new AtomicInteger();
        for (int i = 0; i < 40; i++) {
            publish("burst", "1", acknowledged::incrementAndGet);
        }
        start(event -> { }, Duration.ofSeconds(30), Duration.ofMinutes(1));
        await("the burst acknowledged").atMost(WAIT).until(() -> acknowledged.get() == 40);
        int window = 5;
        int total = 200;
        Semaphore inFlight = new Semaphore(window);
        long before = counters.checkpoints();
        for (int sent = 0; sent < total; sent++) {
            assertThat(inFlight.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("room in the broker's window for message %s", sent).isTrue();
            publish("windowed", "1", () -> {
                acknowledged.incrementAndGet();
                inFlight.release();
            });
        }
        await("every window acknowledged").atMost(WAIT).until(() -> acknowledged.get() == 40 + total);
        assertThat(counters.checkpoints() - before).as("checkpoints: at least one per window, fewer than one per message")
                .isBetween((long) total / window, (long) total - 1);
    }

    /**
     * Readings a few milliseconds apart, far fewer than the broker has already let wait: a gap between them is not a
     * broker waiting for acknowledgements, and a checkpoint at each would cost a write per reading. (A long gap of 2 s
     * here, so that a test thread held up by a loaded machine cannot look like one.)
     */
    @Test
    void readingsAFewMillisecondsApart_belowTheWindow_shareACheckpoint() throws InterruptedException {
        long checkpoints = trickleAfterABurst(false, Duration.ofSeconds(2), 20);
        assertThat(checkpoints).as("checkpoints for 20 readings").isLessThanOrEqualTo(2);
    }

    /** Over a transport that cannot acknowledge TCP segments at once (TLS), each gap gets its checkpoint as before. */
    @Test
    void readingsAFewMillisecondsApart_overATransportThatDelaysAcknowledgements_eachGetACheckpoint()
            throws InterruptedException {
        assertThat(trickleAfterABurst(true, Pipeline.LONG_GAP, 20)).as("checkpoints for 20 readings")
                .isGreaterThanOrEqualTo(15);
    }

    /** Checkpoints for {@code trickle} readings 10 ms apart, after a burst of 40 set the window floor. */
    private long trickleAfterABurst(boolean everyGap, Duration longGap, int trickle) throws InterruptedException {
        AtomicInteger acknowledged = new AtomicInteger();
        for (int i = 0; i < 40; i++) {
            publish("burst", "1", acknowledged::incrementAndGet);
        }
        start(event -> { }, Duration.ofSeconds(30), Duration.ofMinutes(1), everyGap, longGap);
        await("the burst acknowledged").atMost(WAIT).until(() -> acknowledged.get() == 40);
        long before = counters.checkpoints();
        AtomicInteger published = new AtomicInteger();
        ScheduledExecutorService device = Executors.newSingleThreadScheduledExecutor();
        try {
            device.scheduleAtFixedRate(() -> {
                try {
                    if (published.getAndIncrement() < trickle) {
                        publish("trickle", "1", acknowledged::incrementAndGet);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, 0, Pipeline.IDLE_GAP.multipliedBy(5).toMillis(), TimeUnit.MILLISECONDS);
            await("the trickle acknowledged").atMost(WAIT).until(() -> acknowledged.get() == 40 + trickle);
        } finally {
            device.shutdownNow();
        }
        return counters.checkpoints() - before;
    }

    /**
     * The disk fills while checkpoints wait below the window floor (for the long gap): nothing is acknowledged before
     * a checkpoint holds, and then each message exactly once.
     */
    @Test
    void diskFullWhileACheckpointWaitsBelowTheWindowFloor_acknowledgesEachMessageOnceAfterItHolds()
            throws InterruptedException {
        AtomicInteger burst = new AtomicInteger();
        for (int i = 0; i < 40; i++) {
            publish("burst", "1", burst::incrementAndGet);
        }
        start(event -> { }, Duration.ofSeconds(30), Duration.ofMinutes(1), false, Pipeline.LONG_GAP);
        await("the burst acknowledged").atMost(WAIT).until(() -> burst.get() == 40);
        store.checkpointFailWith = Reason.FULL;
        store.checkpointFailures.set(3);

        for (int i = 0; i < 5; i++) {
            publish("trickle-" + i, "1");
        }
        await("the trickle acknowledged").atMost(WAIT)
                .until(() -> snapshot().stream().filter(e -> e.startsWith("ack trickle-")).count() >= 5);

        List<String> seen = snapshot();
        int lastFailure = seen.lastIndexOf("checkpoint failed");
        assertThat(seen.stream().filter("checkpoint failed"::equals).count()).isEqualTo(3);
        for (int i = 0; i < 5; i++) {
            assertThat(seen.stream().filter(("ack trickle-" + i)::equals).count()).as("acks of trickle-" + i).isEqualTo(1);
            assertThat(seen.indexOf("ack trickle-" + i)).as("after the disk let a checkpoint hold").isGreaterThan(lastFailure);
        }
        assertThat(burst.get()).isEqualTo(40);
        assertThat(failure.get()).isNull();
    }

    @Test
    void failedAppend_acknowledgesNothing_andTheAgentIsNotReadyUntilTheStoreHeals() throws InterruptedException {
        store.appendFailures.set(Integer.MAX_VALUE);
        PipelineSupervisor supervisor = start();
        publish("a", "1");
        await().atMost(WAIT).until(() -> snapshot().stream().filter("refused"::equals).count() >= 3);
        assertThat(snapshot()).doesNotContain("ack a");
        assertThat(supervisor.health().state()).isEqualTo(PipelineHealth.State.HOLDING);
        assertThat(supervisor.health().ready()).isFalse();
        assertThat(supervisor.health().reason()).contains("fault", "test refusal");

        store.appendFailures.set(0);
        await().atMost(WAIT).until(() -> snapshot().contains("ack a"));
        assertThat(supervisor.health().state()).isEqualTo(PipelineHealth.State.RUNNING);
        assertThat(counters.bufferErrors()).isGreaterThanOrEqualTo(3);
        assertThat(failure.get()).isNull();
    }

    @Test
    void fullBufferUnderBackpressure_holdsWithoutAck_butStaysReady() throws InterruptedException {
        store.failWith = Reason.FULL;
        store.appendFailures.set(Integer.MAX_VALUE);
        PipelineSupervisor supervisor = start();
        publish("a", "1");
        await().atMost(WAIT).until(() -> supervisor.health().state() == PipelineHealth.State.HOLDING);
        assertThat(supervisor.health().ready()).isTrue();
        assertThat(snapshot()).doesNotContain("ack a");
        store.appendFailures.set(0);
        await().atMost(WAIT).until(() -> snapshot().contains("ack a"));
    }

    @Test
    void failedCheckpoint_acknowledgesNothingUntilACheckpointSucceeds() throws InterruptedException {
        store.checkpointFailures.set(3);
        start();
        publish("a", "1");
        await().atMost(WAIT).until(() -> snapshot().contains("ack a"));
        List<String> seen = snapshot();
        assertThat(seen.stream().filter("checkpoint failed"::equals).count()).isEqualTo(3);
        assertThat(seen.indexOf("checkpoint")).isLessThan(seen.indexOf("ack a"));
    }

    @Test
    void decoderThrowingAnything_deadLettersThatMessage_andTheNextOneIsProcessed() throws InterruptedException {
        start();
        publish("x/overflow", "overflow");
        publish("x/deep", "deep");
        publish("x/bad", "bad");
        publish("x/good", "2");
        await().atMost(WAIT).until(() -> snapshot().contains("ack x/good"));
        assertThat(deadLetters).extracting(DeadLetter::reason).containsExactly(
                "the decoder failed: ArithmeticException: long overflow", "the decoder failed: StackOverflowError",
                "not a reading");
        assertThat(snapshot()).contains("rules dev-2", "ack x/overflow", "ack x/deep", "ack x/bad");
        assertThat(counters.decodeFaults()).isEqualTo(2);
        assertThat(counters.decodeErrors()).isEqualTo(3);
        assertThat(failure.get()).isNull();
    }

    @Test
    void rulesThrowing_isCounted_theEventIsStoredAndAcknowledged() throws InterruptedException {
        start(event -> {
            throw new IllegalStateException("rule bug");
        }, Duration.ofSeconds(30));
        publish("a", "1");
        publish("b", "2");
        await().atMost(WAIT).until(() -> snapshot().contains("ack b"));
        assertThat(counters.ruleFaults()).isEqualTo(2);
        assertThat(counters.events()).isEqualTo(2);
        assertThat(failure.get()).isNull();
    }

    @Test
    void fatalError_failsThePipeline_andItsRedeliveryIsDeadLetteredAfterTheSecondTime() throws InterruptedException {
        // Queued before the thread starts, so that both are in the batch it fails on.
        publish("a", "1");
        publish("p", "oom");
        PipelineSupervisor first = start();
        await().atMost(WAIT).until(() -> failure.get() != null);
        assertThat(failure.get()).contains("OutOfMemoryError");
        assertThat(first.health().state()).isEqualTo(PipelineHealth.State.FAILED);
        assertThat(first.health().ready()).isFalse();
        assertThat(snapshot()).as("nothing of the failed batch acknowledged").doesNotContain("ack a", "ack p");
        first.stop(Duration.ofSeconds(1));
        journals.get(0).close();

        // "Restart": the broker redelivers both; they are processed one at a time, and the poison fails again.
        failure.set(null);
        publish("a", "1");
        publish("p", "oom");
        PipelineSupervisor second = start();
        await().atMost(WAIT).until(() -> failure.get() != null);
        assertThat(snapshot()).as("the good message alone went through").contains("ack a");
        second.stop(Duration.ofSeconds(1));
        journals.get(1).close();

        // Second restart: the message that failed alone is dead-lettered unprocessed; the next message flows.
        failure.set(null);
        start();
        publish("p", "oom");
        publish("b", "3");
        await().atMost(WAIT).until(() -> snapshot().contains("ack b"));
        assertThat(snapshot()).contains("ack p");
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(d.topic()).isEqualTo("p");
            assertThat(d.reason()).contains("stopped abnormally twice");
        });
        assertThat(counters.poisoned()).isEqualTo(1);
        assertThat(failure.get()).isNull();
    }

    @Test
    void batchLongerThanTheStallTimeout_failsThePipelineAndNamesWhereItIs() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        PipelineSupervisor supervisor = start(event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Duration.ofSeconds(1));
        publish("a", "1");
        await().atMost(WAIT).until(() -> failure.get() != null);
        assertThat(failure.get()).contains("in progress for", "PipelineTest");
        assertThat(supervisor.health().ready()).isFalse();
        assertThat(snapshot()).doesNotContain("ack a");
        release.countDown();
    }

    @Test
    void storeHoldingLongerThanTheStallTimeout_isNotAStall() throws InterruptedException {
        store.appendFailures.set(Integer.MAX_VALUE);
        start(event -> log.add("rules " + event.deviceId()), Duration.ofSeconds(1));
        publish("a", "1");
        await().atMost(WAIT).until(() -> snapshot().stream().filter("refused"::equals).count() >= 5);
        assertThat(failure.get()).isNull();
        store.appendFailures.set(0);
        await().atMost(WAIT).until(() -> snapshot().contains("ack a"));
    }
}
