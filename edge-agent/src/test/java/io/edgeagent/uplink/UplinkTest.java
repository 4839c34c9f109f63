package io.edgeagent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgeagent.event.BufferedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The drain loop against an in-memory outbox and a target that records or refuses. */
@Timeout(30)
class UplinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MemoryOutbox outbox = new MemoryOutbox();
    private final RecordingTarget target = new RecordingTarget();
    private Uplink uplink;

    @AfterEach
    void stop() {
        if (uplink != null) {
            uplink.close(Duration.ofSeconds(2));
        }
    }

    private void start(int batchSize, double backlogShare) {
        uplink = new Uplink(outbox, target, batchSize, backlogShare, Duration.ofMillis(10), Duration.ofMillis(40));
        uplink.start();
    }

    private static List<Long> seqs(List<UplinkBatch> batches) {
        return batches.stream().flatMap(b -> b.events().stream()).map(BufferedEvent::seq).toList();
    }

    @Test
    void drain_targetConfirms_sendsEveryRowOnceAndEmptiesTheOutbox() {
        outbox.add("dev-1", 25);
        start(10, 0.5);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        assertThat(seqs(target.confirmed)).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());
        assertThat(target.confirmed).allSatisfy(b -> assertThat(seqs(List.of(b))).as("within a batch").isSorted());
        assertThat(uplink.stats().sentEvents()).isEqualTo(25);
        assertThat(uplink.stats().sentBatches()).isEqualTo(3);
    }

    @Test
    void drain_targetFails_keepsTheRowsAndRetriesTheSameBatchWithTheSameKey() {
        outbox.add("dev-1", 5);
        target.failNext.set(3);
        start(10, 0.5);

        // The uplink thread clears its failure streak just after the removal that empties the outbox.
        await().atMost(WAIT).until(() -> outbox.depth() == 0 && uplink.stats().consecutiveFailures() == 0);

        assertThat(target.attempts).hasSize(4);
        assertThat(target.attempts).extracting(UplinkBatch::key).containsOnly(target.attempts.get(0).key());
        assertThat(seqs(target.confirmed)).containsExactly(1L, 2L, 3L, 4L, 5L);
        UplinkStats stats = uplink.stats();
        assertThat(stats.failedAttempts()).isEqualTo(3);
        assertThat(stats.lastError()).contains("refused by the test");
    }

    @Test
    void drain_batchRefusedAsItIs_nextAttemptPeeksAgainAndTakesNewerEventsAlong() {
        outbox.add("dev-1", 1);
        target.refuseAsItIs = true;
        target.failNext.set(Integer.MAX_VALUE);
        start(10, 0.5);
        await().atMost(WAIT).until(() -> target.attempts.size() >= 2);

        outbox.add("dev-1", 3);
        await().atMost(WAIT).until(() -> target.attempts.stream().anyMatch(b -> b.size() == 4));
        target.failNext.set(0);
        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        assertThat(target.attempts.get(0).events()).extracting(BufferedEvent::seq).containsExactly(1L);
        assertThat(seqs(target.confirmed)).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(outbox.deadLetters).isEmpty();
    }

    @Test
    void drain_targetKeepsSomeEventsAndRejectsOthers_removesOnlyTheRestAndSendsTheKeptAgain() {
        outbox.add("dev-1", 4);
        List<List<Long>> sent = new CopyOnWriteArrayList<>();
        UplinkTarget partly = new RecordingTarget() {
            @Override
            public long send(UplinkBatch batch) throws UplinkException, RejectedEventsException {
                sent.add(batch.events().stream().map(BufferedEvent::seq).toList());
                if (sent.size() == 1) {
                    BufferedEvent second = batch.events().get(1);
                    throw new RejectedEventsException(List.of(new Rejection(batch.events().get(0), "test", "bad")),
                            List.of(second), 10);
                }
                return super.send(batch);
            }
        };
        uplink = new Uplink(outbox, partly, 10, 1.0, Duration.ofMillis(10), Duration.ofMillis(40));
        uplink.start();

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        assertThat(sent).containsExactly(List.of(1L, 2L, 3L, 4L), List.of(2L));
        assertThat(outbox.deadLetters).extracting(r -> r.event().seq()).containsExactly(1L);
        await().atMost(WAIT).until(() -> uplink.stats().sentEvents() == 3);
        assertThat(uplink.stats().rejectedEvents()).isEqualTo(1);
    }

    @Test
    void drain_removeFailsAfterTheTargetConfirmed_retriesOnlyTheRemovalAndNeverResends() {
        outbox.add("dev-1", 5);
        outbox.failRemoves.set(3);
        start(10, 0.5);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        assertThat(target.attempts).as("sent once, although its removal failed 3 times").hasSize(1);
        assertThat(uplink.stats().failedAttempts()).isEqualTo(3);
        assertThat(uplink.stats().sentEvents()).isEqualTo(5);
    }

    @Test
    void drain_whileTheTargetIsDown_removesNothing() {
        outbox.add("dev-1", 5);
        target.failNext.set(Integer.MAX_VALUE);
        start(10, 0.5);

        await().atMost(WAIT).until(() -> target.attempts.size() >= 3);

        assertThat(outbox.depth()).isEqualTo(5);
        assertThat(uplink.stats().consecutiveFailures()).isGreaterThanOrEqualTo(3);
        assertThat(uplink.stats().sentEvents()).isZero();
    }

    @Test
    void drain_withABacklog_sendsTheNewestBatchFirstThenAlternates() {
        outbox.add("dev-1", 40);
        start(10, 0.5);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        List<UplinkBatch> batches = target.confirmed;
        assertThat(batches).hasSize(4);
        assertThat(batches.get(0).events()).extracting(BufferedEvent::seq).first().isEqualTo(31L);
        assertThat(batches.get(0).backlog()).isFalse();
        assertThat(batches.get(1).events()).extracting(BufferedEvent::seq).first().isEqualTo(1L);
        assertThat(batches.get(1).backlog()).isTrue();
        assertThat(seqs(batches)).as("nothing is skipped or sent twice")
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
    }

    @Test
    void drain_withABacklogAndFreshArrivals_sendsFreshEventsBeforeTheBacklogIsDone() {
        outbox.add("old", 100);
        target.onSend = batch -> {
            if (target.confirmed.size() < 6) {
                outbox.add("fresh", 2);
            }
        };
        start(10, 0.5);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        List<UplinkBatch> batches = target.confirmed;
        int lastOld = 0;
        int firstFreshBatch = -1;
        for (int i = 0; i < batches.size(); i++) {
            boolean hasFresh = batches.get(i).events().stream().anyMatch(e -> e.deviceId().equals("fresh"));
            if (hasFresh && firstFreshBatch < 0) {
                firstFreshBatch = i;
            }
            if (batches.get(i).events().stream().anyMatch(e -> e.deviceId().equals("old"))) {
                lastOld = i;
            }
        }
        assertThat(firstFreshBatch).as("fresh events go out while the backlog drains").isLessThan(lastOld);
        List<Long> backlogSeqs = seqs(batches.stream().filter(UplinkBatch::backlog).toList());
        assertThat(backlogSeqs).as("the backlog stream is in seq order").isSorted();
        List<Long> liveSeqs = seqs(batches.stream().filter(b -> !b.backlog()).toList());
        assertThat(liveSeqs).as("the live stream is in seq order").isSorted();
        assertThat(seqs(batches)).doesNotHaveDuplicates().hasSize(110);
    }

    @Test
    void drain_backlogShareOne_sendsStrictlyOldestFirst() {
        outbox.add("dev-1", 35);
        target.onSend = batch -> {
            if (target.confirmed.size() < 3) {
                outbox.add("dev-2", 5);
            }
        };
        start(10, 1.0);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        assertThat(seqs(target.confirmed)).isSorted().doesNotHaveDuplicates().hasSize(45);
    }

    @Test
    void drain_backlogShareZero_drainsTheBacklogOnlyWhenNoFreshEventsWait() {
        outbox.add("old", 30);
        AtomicInteger fresh = new AtomicInteger();
        target.onSend = batch -> {
            if (fresh.incrementAndGet() <= 3) {
                outbox.add("fresh", 10);
            }
        };
        start(10, 0.0);

        await().atMost(WAIT).until(() -> outbox.depth() == 0);

        List<UplinkBatch> batches = target.confirmed;
        int firstOld = -1;
        for (int i = 0; i < batches.size(); i++) {
            if (batches.get(i).events().get(0).deviceId().equals("old") && batches.get(i).backlog() && firstOld < 0) {
                firstOld = i;
            }
        }
        assertThat(batches.subList(0, 4)).as("the first batch and the three fresh ones go first")
                .allMatch(b -> !b.backlog());
        assertThat(firstOld).isEqualTo(4);
        assertThat(seqs(batches)).doesNotHaveDuplicates().hasSize(60);
    }

    @Test
    void close_whileTheTargetIsDown_stopsPromptly() {
        outbox.add("dev-1", 5);
        target.failNext.set(Integer.MAX_VALUE);
        uplink = new Uplink(outbox, target, 10, 0.5, Duration.ofSeconds(30), Duration.ofSeconds(60));
        uplink.start();
        await().atMost(WAIT).until(() -> target.attempts.size() == 1);

        long started = System.nanoTime();
        uplink.close(Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(target.closed).isTrue();
        assertThat(outbox.depth()).isEqualTo(5);
        uplink = null;
    }

    @Test
    void withoutCredentials_urlWithUserInfo_dropsIt() {
        assertThat(Uplink.withoutCredentials("https://user:secret@ingest.example.com/events"))
                .isEqualTo("https://ingest.example.com/events");
        assertThat(Uplink.withoutCredentials("ssl://broker:8883")).isEqualTo("ssl://broker:8883");
        assertThat(Uplink.withoutCredentials("https://h/p?a=b@c")).isEqualTo("https://h/p?a=b@c");
    }

    /** Records every attempt; fails the first {@code failNext} of them. */
    static class RecordingTarget implements UplinkTarget {
        final List<UplinkBatch> attempts = new CopyOnWriteArrayList<>();
        final List<UplinkBatch> confirmed = new CopyOnWriteArrayList<>();
        final AtomicInteger failNext = new AtomicInteger();
        /** Whether the failures say the batch was refused as it is (HTTP: every part of it refused). */
        volatile boolean refuseAsItIs;
        volatile java.util.function.Consumer<UplinkBatch> onSend = b -> { };
        volatile boolean closed;

        @Override
        public void start() {
        }

        @Override
        public long send(UplinkBatch batch) throws UplinkException, RejectedEventsException {
            attempts.add(batch);
            if (failNext.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
                throw refuseAsItIs ? UplinkException.refusedAsItIs("refused as it is by the test")
                        : new UplinkException("refused by the test");
            }
            confirmed.add(batch);
            onSend.accept(batch);
            return new ArrayList<>(batch.events()).size();
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public boolean connected() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
