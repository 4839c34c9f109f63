package io.edgeagent.ingest;

import io.edgeagent.event.InboundMessage;
import io.edgeagent.mqtt.PatchedPaho;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-off from Paho's receiver thread to the pipeline, which never blocks that thread for long.
 *
 * <p>Flow control is by holding acknowledgements: a QoS 1 message is acknowledged only once the pipeline has stored
 * it, so the broker's in-flight window (Mosquitto's {@code max_inflight_messages}) limits how many are on their way.
 * When the sink stays full anyway for a short wait (a window larger than the sink, or QoS 0), the message is
 * refused, and so is every
 * later message of the same connection, so acknowledgements still go out in receive order: a refused QoS 1 message
 * stays unacknowledged at the broker, which stops sending once its window is full, and the connection stays up,
 * keep-alive included. MQTT 3.1.1 redelivers only on a new connection, so once every message handed over has been
 * acknowledged (the sink is empty), the connection is renewed and the broker sends the refused messages again.
 * Nothing handed over is acknowledged on a later connection, so a pause stores no duplicates; a refused QoS 0
 * message is lost (QoS 0 promises no more) and counted.
 */
final class HandOff {

    private static final Logger LOG = LoggerFactory.getLogger(HandOff.class);
    private static final long NONE = -1;

    /** Sends the acknowledgement of a message to the connection it came from. */
    interface Acknowledger {
        /** @return false when it could not be sent (the connection is gone): the broker sends the message again */
        boolean acknowledge(int messageId, int qos, long generation);
    }

    /** Asks for a new connection once the sink has drained. */
    interface Renewal {
        void renew(long generation, String reason);
    }

    private final MessageSink sink;
    private final long waitNanos;
    private final Acknowledger acknowledger;
    private final Renewal renewal;
    /** Handed to the sink and not yet acknowledged. */
    private final AtomicLong outstanding = new AtomicLong();
    /** The newest connection generation a message has come from. */
    private final AtomicLong newest = new AtomicLong();
    private final AtomicLong renewedGeneration = new AtomicLong(NONE);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lostQos0 = new AtomicLong();
    private final AtomicLong pauses = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong badTopics = new AtomicLong();
    /** Stored, but the acknowledgement found its connection gone: the broker delivers these again (duplicates). */
    private final AtomicLong unacknowledged = new AtomicLong();
    /** Messages of this connection generation and older ones are refused; {@link #NONE} at first. */
    private volatile long refusing = NONE;
    private volatile long pausedSinceNanos;
    private volatile long refusedAtPause;

    /**
     * @param wait how long one message may wait for room before ingest pauses: rides out a short burst without a
     *             renewal, and is short against the keep-alive, because Paho's receiver reads nothing while it waits
     */
    HandOff(MessageSink sink, Duration wait, Acknowledger acknowledger, Renewal renewal) {
        this.sink = sink;
        this.waitNanos = wait.toNanos();
        this.acknowledger = acknowledger;
        this.renewal = renewal;
    }

    /** On Paho's receiver thread: hands the message on or refuses it, waiting at most the hand-off's wait. */
    void arrived(String topic, MqttMessage message, long generation) {
        received.incrementAndGet();
        if (message.isDuplicate()) {
            redelivered.incrementAndGet();
        }
        String problem = PatchedPaho.topicProblem(topic);
        if (problem != null) {
            LOG.warn("MQTT ingest received a topic that MQTT forbids or discourages, {} (#{}): {}; the broker should "
                    + "have refused it; passed on as it is.", problem, badTopics.incrementAndGet(),
                    topic.replaceAll("\\p{Cc}", "?"));
        }
        // A late message of a connection that has been replaced could never be acknowledged: it comes again anyway.
        if (generation <= refusing || generation < newest.accumulateAndGet(generation, Math::max)) {
            refuse(message);
            return;
        }
        int id = message.getId();
        int qos = message.getQos();
        outstanding.incrementAndGet();
        InboundMessage inbound = new InboundMessage(topic, message.getPayload(), System.currentTimeMillis(), () -> {
            if (!acknowledger.acknowledge(id, qos, generation)) {
                unacknowledged.incrementAndGet();
            }
            released();
        });
        if (offer(inbound)) {
            return;
        }
        outstanding.decrementAndGet();
        pause(generation);
        refuse(message);
    }

    private boolean offer(InboundMessage inbound) {
        try {
            return sink.offer(inbound, waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Not Paho's doing (it interrupts no thread of a client without an executor): someone wants the thread
            // to stop, so the message is refused, unacknowledged; it comes again on the next connection.
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void refuse(MqttMessage message) {
        refused.incrementAndGet();
        if (message.getQos() == 0) {
            lostQos0.incrementAndGet();
        }
    }

    private void pause(long generation) {
        pausedSinceNanos = System.nanoTime();
        refusedAtPause = refused.get();
        refusing = generation;
        LOG.warn("MQTT ingest: the pipeline's hand-off is full ({} messages not yet stored); refusing further messages "
                + "on this connection until it has drained, then renewing the connection so that the broker sends "
                + "them again (pause #{}).", outstanding.get(), pauses.incrementAndGet());
        if (outstanding.get() == 0) {
            renew(generation);
        }
    }

    /** An acknowledgement ran (on the pipeline thread). */
    private void released() {
        if (outstanding.decrementAndGet() == 0) {
            long generation = refusing;
            if (generation != NONE) {
                renew(generation);
            }
        }
    }

    private void renew(long generation) {
        if (renewedGeneration.getAndSet(generation) == generation) {
            return;
        }
        long refusedInPause = refused.get() - refusedAtPause;
        renewal.renew(generation, "the pipeline drained after "
                + (System.nanoTime() - pausedSinceNanos) / 1_000_000 + " ms of pause; " + refusedInPause
                + " messages refused meanwhile come again");
    }

    long received() {
        return received.get();
    }

    long refused() {
        return refused.get();
    }

    long lostQos0() {
        return lostQos0.get();
    }

    long pauses() {
        return pauses.get();
    }

    long redelivered() {
        return redelivered.get();
    }

    long unacknowledged() {
        return unacknowledged.get();
    }

    long badTopics() {
        return badTopics.get();
    }
}
