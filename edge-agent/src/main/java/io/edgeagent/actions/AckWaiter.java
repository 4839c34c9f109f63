package io.edgeagent.actions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Matches incoming messages to waiting {@code await} steps. Subscribes on demand: the first expectation for a topic
 * subscribes it, the last one to close unsubscribes it, so the broker only sends what a workflow is waiting for.
 * Retained messages are ignored: an acknowledgement left on the broker by an earlier run must not confirm this one.
 * Thread-safe; {@link #deliver} is called on the MQTT client's thread and only counts down latches.
 */
public final class AckWaiter implements AckSource {

    /** Subscribes and unsubscribes one exact topic on the link that delivers to {@link #deliver}. */
    public interface Subscriptions {

        void subscribe(String topic) throws Exception;

        void unsubscribe(String topic);
    }

    private final Subscriptions subscriptions;
    private final Map<String, List<Waiting>> waiting = new ConcurrentHashMap<>();

    public AckWaiter(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Expectation expect(String topic, String contains) throws Exception {
        Waiting w = new Waiting(topic, contains);
        boolean[] first = {false};
        waiting.compute(topic, (t, list) -> {
            List<Waiting> l = list == null ? new CopyOnWriteArrayList<>() : list;
            first[0] = l.isEmpty();
            l.add(w);
            return l;
        });
        if (first[0]) {
            try {
                subscriptions.subscribe(topic);
            } catch (Exception e) {
                w.close();
                throw e;
            }
        }
        return w;
    }

    /** A message arrived on {@code topic}. */
    public void deliver(String topic, byte[] payload, boolean retained) {
        if (retained) {
            return;
        }
        List<Waiting> list = waiting.get(topic);
        if (list == null) {
            return;
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        for (Waiting w : list) {
            if (w.contains == null || text.contains(w.contains)) {
                w.payload.compareAndSet(null, text);
                w.latch.countDown();
            }
        }
    }

    /** Topics with a waiting step, to subscribe again after a reconnect. */
    public List<String> topics() {
        return List.copyOf(waiting.keySet());
    }

    private final class Waiting implements Expectation {

        private final String topic;
        private final String contains;
        private final CountDownLatch latch = new CountDownLatch(1);
        private final AtomicReference<String> payload = new AtomicReference<>();

        Waiting(String topic, String contains) {
            this.topic = topic;
            this.contains = contains;
        }

        @Override
        public String await(Duration timeout) throws InterruptedException {
            return latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? payload.get() : null;
        }

        @Override
        public void close() {
            boolean[] last = {false};
            waiting.computeIfPresent(topic, (t, list) -> {
                list.remove(this);
                last[0] = list.isEmpty();
                return list.isEmpty() ? null : list;
            });
            if (last[0]) {
                subscriptions.unsubscribe(topic);
            }
        }
    }
}
