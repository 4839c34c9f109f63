package io.edgeagent.uplink;

import io.edgeagent.config.Durations;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.metrics.Histogram;
import io.edgeagent.threads.Backoff;
import io.edgeagent.threads.NamedThreads;
import io.edgeagent.uplink.kafka.KafkaUplinkTarget;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drain loop: on one thread ({@code edge-uplink}) it peeks a batch from the outbox, sends it, and removes it only
 * after the target confirmed it. A failed batch is retried as it is (same events, same idempotency key) after a
 * capped, jittered backoff, so retries never reorder or regroup events; only a batch the target refused as it is
 * (storing none of it) is given up, and the next attempt peeks again. A batch the target confirmed but the buffer
 * could not remove is never sent again: only the removal is retried.
 *
 * <p>Live-first: a live cursor remembers the highest seq sent from the live end. Each batch is either a live batch
 * (the newest {@code batchSize} rows above the cursor, in seq order) or a backlog batch (the oldest rows). When rows
 * older than the cursor are waiting, a {@code backlogShare} of the batches goes to them; with 0 the backlog drains
 * only when no fresh events wait, with 1 the outbox drains strictly oldest first. Rows skipped by a live batch fall
 * below the cursor and are taken by the backlog batches, so every row is sent.
 *
 * <p>Thread-safe: {@link #stats} may be read from any thread.
 */
public final class Uplink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Uplink.class);
    /** How often an empty outbox is looked at again: the latency a fresh event adds before its upload starts. */
    static final Duration IDLE_POLL = Duration.ofMillis(50);
    static final int RATE_WINDOW_SECONDS = 10;
    /**
     * Retry delays when the buffer fails: it reopens itself within seconds once the cause is gone, so the upload
     * resumes soon after rather than after the target's (much longer) backoff.
     */
    static final Duration STORAGE_RETRY_MIN = Duration.ofMillis(100);
    static final Duration STORAGE_RETRY_MAX = Duration.ofSeconds(5);

    private final OutboxSource source;
    private final UplinkTarget target;
    private final int batchSize;
    private final double backlogShare;
    private final Backoff backoff;
    private final Backoff storageBackoff = new Backoff(STORAGE_RETRY_MIN, STORAGE_RETRY_MAX);
    private final Duration retryMax;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stopSignal = lock.newCondition();
    private final AtomicLong sentEvents = new AtomicLong();
    private final AtomicLong sentBatches = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final Histogram uploadTime = new Histogram();
    private final AtomicLong rejectedEvents = new AtomicLong();
    private final long[] rateBuckets = new long[RATE_WINDOW_SECONDS];
    private final long[] rateSeconds = new long[RATE_WINDOW_SECONDS];
    private volatile long consecutiveFailures;
    private volatile String lastError = "";
    private volatile long lastSuccessTime;
    private volatile boolean stopping;
    private long liveCursor;
    private double backlogCredit;

    public Uplink(OutboxSource source, UplinkTarget target, int batchSize, double backlogShare, Duration retryMin,
                  Duration retryMax) {
        this.source = source;
        this.target = target;
        this.batchSize = batchSize;
        this.backlogShare = backlogShare;
        this.backoff = new Backoff(retryMin, retryMax);
        this.retryMax = retryMax;
        this.thread = NamedThreads.single("edge-uplink", this::run);
    }

    /** The uplink the configuration asks for; not started. */
    public static Uplink create(UplinkConfig config, OutboxSource source) {
        UplinkTarget target = switch (config.type()) {
            case UplinkConfig.TYPE_HTTP -> new HttpUplinkTarget(config);
            // Only this branch loads io.edgeagent.uplink.kafka and with it the Kafka client's classes.
            case UplinkConfig.TYPE_KAFKA -> new KafkaUplinkTarget(config);
            default -> new MqttUplinkTarget(config);
        };
        // Kafka consumers read a partition in order, so one device's events go oldest first: live-first would put
        // fresh events ahead of the backlog in the device's partition.
        double backlogShare = config.type().equals(UplinkConfig.TYPE_KAFKA) ? 1.0 : config.backlogShare();
        return new Uplink(source, target, config.batchSize(), backlogShare, config.retryMin(), config.retryMax());
    }

    public void start() {
        target.start();
        thread.start();
        LOG.info("Uplink to {} started: batches of up to {} events, {} of them for the backlog when one builds up; "
                + "{} events waiting.", target.describe(), batchSize, backlogShare, source.depth());
    }

    private void run() {
        UplinkBatch pending = null;
        // The target confirmed pending: only its removal is left, and a failed removal never sends it again.
        boolean confirmed = false;
        // Events of the confirmed batch the target refused for good: dead-lettered before the batch is removed.
        List<Rejection> rejected = List.of();
        // What leaves the outbox once pending is confirmed: all of it but the events the target has not accepted yet.
        List<BufferedEvent> settled = List.of();
        while (!stopping) {
            try {
                if (pending == null) {
                    pending = next();
                }
                if (pending == null) {
                    pause(IDLE_POLL.toMillis());
                    continue;
                }
                if (!confirmed) {
                    long bytes;
                    settled = pending.events();
                    try {
                        long started = System.nanoTime();
                        bytes = target.send(pending);
                        uploadTime.observeNanos(System.nanoTime() - started);
                    } catch (RejectedEventsException e) {
                        rejected = e.rejected();
                        bytes = e.bytes();
                        settled = withoutKept(pending.events(), e.kept());
                        partlyRefused(e);
                    }
                    confirmed = true;
                    delivered(pending, settled.size() - rejected.size(), bytes);
                }
                if (!rejected.isEmpty()) {
                    source.deadLetter(rejected);
                    rejected = List.of();
                }
                source.remove(settled);
                pending = null;
                confirmed = false;
                succeeded();
            } catch (UplinkException e) {
                failed(pending, false, e, backoff);
                if (e.refusedAsItIs()) {
                    // Nothing of it was stored: the next attempt takes the outbox as it is then, newer events too.
                    pending = null;
                }
            } catch (RuntimeException e) {
                // The buffer failed to peek or remove; it reopens by itself, so it is asked again soon.
                failed(pending, confirmed, e, storageBackoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The next batch, or null when the outbox is empty. */
    private UplinkBatch next() {
        if (backlogShare >= 1.0 || backlogCredit >= 1.0) {
            List<BufferedEvent> oldest = source.peekOldest(batchSize);
            if (!oldest.isEmpty()) {
                backlogCredit = Math.max(0, backlogCredit - 1.0);
                return UplinkBatch.of(oldest, true);
            }
            return null;
        }
        List<BufferedEvent> newest = source.peekNewest(batchSize, liveCursor);
        if (newest.isEmpty()) {
            List<BufferedEvent> oldest = source.peekOldest(batchSize);
            return oldest.isEmpty() ? null : UplinkBatch.of(oldest, true);
        }
        // Credit of share/(1 - share) per live batch gives the backlog that share of the batches; capped so that a
        // long stretch without backlog does not bank a burst of backlog turns.
        backlogCredit = Math.min(1.0, backlogCredit + backlogShare / (1.0 - backlogShare));
        return UplinkBatch.of(newest, false);
    }

    private void partlyRefused(RejectedEventsException e) {
        List<Rejection> refused = e.rejected();
        rejectedEvents.addAndGet(refused.size());
        if (!refused.isEmpty()) {
            LOG.error("{} refused {} events for good; they go to the dead letters (first: event {}, {}).",
                    target.describe(), refused.size(), refused.get(0).event().id(), refused.get(0).reason());
        }
        if (!e.kept().isEmpty()) {
            LOG.warn("{} has not accepted {} events of a batch yet (first: event {}, seq {}); they stay in the buffer "
                    + "for a later batch.", target.describe(), e.kept().size(), e.kept().get(0).id(),
                    e.kept().get(0).seq());
        }
    }

    private static List<BufferedEvent> withoutKept(List<BufferedEvent> events, List<BufferedEvent> kept) {
        if (kept.isEmpty()) {
            return events;
        }
        Set<Long> keptSeqs = new HashSet<>();
        kept.forEach(e -> keptSeqs.add(e.seq()));
        return events.stream().filter(e -> !keptSeqs.contains(e.seq())).toList();
    }

    /** Counts a confirmed batch, of which {@code accepted} events reached the target. */
    private void delivered(UplinkBatch batch, int accepted, long bytes) {
        liveCursor = Math.max(liveCursor, batch.lastSeq());
        if (accepted > 0) {
            sentEvents.addAndGet(accepted);
            sentBatches.incrementAndGet();
            sentBytes.addAndGet(bytes);
            lastSuccessTime = System.currentTimeMillis();
            countRate(accepted);
        }
    }

    private void succeeded() {
        if (consecutiveFailures > 0) {
            LOG.info("Uplink to {} works again after {} failed attempts; {} events still waiting.", target.describe(),
                    consecutiveFailures, source.depth());
        }
        consecutiveFailures = 0;
        backoff.reset();
        storageBackoff.reset();
    }

    /**
     * Counts a failure and waits before the next attempt. Only the first failure of an episode is logged (the status
     * keeps the count and the last error), and {@link #succeeded} logs its end.
     */
    private void failed(UplinkBatch batch, boolean confirmed, Exception e, Backoff delays) {
        failedAttempts.incrementAndGet();
        consecutiveFailures++;
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        long delay = delays.nextDelayMs();
        if (consecutiveFailures > 1) {
            LOG.debug("Uplink attempt {} failed ({}); trying again in {} ms.", consecutiveFailures, lastError, delay);
        } else if (batch == null) {
            LOG.error("Uplink cannot read the buffer ({}); trying again until it can, logging once when it does.",
                    lastError);
        } else if (confirmed) {
            LOG.error("{} confirmed {} events (seq {} to {}) but the buffer cannot remove them ({}); retrying only the "
                    + "removal, the batch is not sent again.", target.describe(), batch.size(), batch.firstSeq(),
                    batch.lastSeq(), lastError);
        } else {
            LOG.warn("Upload of {} events (seq {} to {}) to {} failed ({}); {} events wait in the buffer. Trying again "
                    + "with backoff up to {}, logging once when it works.", batch.size(), batch.firstSeq(),
                    batch.lastSeq(), target.describe(), lastError, source.depth(), Durations.format(retryMax));
        }
        pause(delay);
    }

    /** Waits {@code ms}, or less when stopping. */
    private void pause(long ms) {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(ms);
            while (!stopping && left > 0) {
                left = stopSignal.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    private void countRate(long events) {
        long second = System.currentTimeMillis() / 1000;
        synchronized (rateBuckets) {
            int slot = (int) (second % RATE_WINDOW_SECONDS);
            if (rateSeconds[slot] != second) {
                rateSeconds[slot] = second;
                rateBuckets[slot] = 0;
            }
            rateBuckets[slot] += events;
        }
    }

    private double rate() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        synchronized (rateBuckets) {
            for (int i = 0; i < RATE_WINDOW_SECONDS; i++) {
                if (now - rateSeconds[i] < RATE_WINDOW_SECONDS) {
                    sum += rateBuckets[i];
                }
            }
        }
        return sum / (double) RATE_WINDOW_SECONDS;
    }

    /** How long each batch the target confirmed took to send, until its confirmation. */
    public Histogram uploadTime() {
        return uploadTime;
    }

    public UplinkStats stats() {
        return new UplinkStats(target.describe(), target.connected(), sentEvents.get(), sentBatches.get(),
                sentBytes.get(), failedAttempts.get(), consecutiveFailures, lastError, lastSuccessTime, rate(),
                rejectedEvents.get());
    }

    /**
     * Stops the loop: a send in progress gets {@code deadline} to finish, then the thread is interrupted. A batch sent
     * but not yet removed is sent again after the next start, with the same ids.
     */
    public void close(Duration deadline) {
        lock.lock();
        try {
            stopping = true;
            stopSignal.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (thread.isAlive()) {
                thread.join(deadline.toMillis());
                if (thread.isAlive()) {
                    LOG.warn("The uplink did not finish its upload within {} ms; interrupting it. The batch will be "
                            + "sent again after restart.", deadline.toMillis());
                    thread.interrupt();
                    thread.join(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        target.close();
        LOG.info("Uplink to {} stopped: {} events uploaded in {} batches, {} failed attempts; {} events wait in the "
                + "buffer.", target.describe(), sentEvents.get(), sentBatches.get(), failedAttempts.get(), source.depth());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** A URL fit for a log line: {@code https://user:secret@host/} loses its user info. */
    static String withoutCredentials(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        int path = url.indexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (scheme >= 0 && at > scheme && (path < 0 || at < path)) {
            return url.substring(0, scheme + 3) + url.substring(at + 1);
        }
        return url;
    }
}
