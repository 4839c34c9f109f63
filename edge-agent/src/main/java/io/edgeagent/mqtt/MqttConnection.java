package io.edgeagent.mqtt;

import io.edgeagent.threads.Backoff;
import io.edgeagent.threads.NamedThreads;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT link that stays up: a named thread connects, calls {@link Listener#connected} (subscribe there), waits for
 * the link to end, and reconnects with capped, jittered backoff. Paho's own reconnect is not used because it never
 * retries a failed first connect and does not resubscribe.
 *
 * <p>Every connection attempt gets a new Paho client and a new generation. A client is never reused after it failed
 * or was lost: a connect that never completes (Paho then answers every later connect with "Connect already in
 * progress") is bounded by the connect timeout, and its client is closed and replaced, so no state Paho kept from an
 * earlier connection can wedge the next one. Closing an old client is bounded too: one that does not close in time is
 * abandoned (its threads are daemons and end with its socket).
 *
 * <p>Acknowledgements carry the generation of the message they acknowledge and go only to the client of that
 * generation: after a reconnect the broker redelivers those messages anyway, and a stale packet id must not
 * acknowledge a different message.
 *
 * <p>Every connection is started from a thread of its own thread group, so every thread Paho starts for it belongs
 * to that group: an exception that escapes one of them (or the listener) is counted, logged in one line, and the
 * connection is replaced at once instead of lingering half-dead until the keep-alive notices. One from a connection
 * already replaced (Paho's threads can outlive a close by a moment) is only logged at debug level.
 *
 * <p>Thread-safe. Paho's state lives in memory ({@link MemoryPersistence}): its default file store writes into the
 * working directory, which a hardened service cannot write.
 */
public final class MqttConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);
    /** Never subscribed: unsubscribing from it is only a round trip to the broker. */
    private static final String BARRIER_TOPIC = "edge-agent/barrier";

    static {
        PatchedPaho.verify();
    }

    /** What the owner of the link is told. Called on Paho's or the connector's thread: keep it short. */
    public interface Listener {

        /** The link is up; subscribe here (on the connector thread, never inside Paho's callback). */
        default void connected(MqttAsyncClient client) throws MqttException {
        }

        /**
         * A message arrived on generation {@code generation}. Must not block: Paho's receiver waits for this thread,
         * and a receiver that waits misses the keep-alive. Flow control is by holding acknowledgements.
         */
        default void messageArrived(String topic, MqttMessage message, long generation) {
        }
    }

    /** Why a connection ended. */
    private enum End {
        /** The connect attempt failed: try again after the backoff delay. */
        FAILED,
        /** Lost: reconnect after the backoff delay. */
        LOST,
        /** The owner asked for a fresh connection: disconnect cleanly and reconnect at once. */
        RENEW
    }

    /** One connection attempt: its client, generation and thread group; {@code open} until it ends. */
    private record Session(MqttAsyncClient client, long generation, ThreadGroup threads, AtomicBoolean open) {
    }

    private final String name;
    private final String url;
    private final String clientId;
    private final MqttConnectOptions options;
    private final Duration operationTimeout;
    private final boolean manualAcks;
    private final Backoff backoff;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread connector;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private final TakeoverWatch takeovers = new TakeoverWatch();
    private volatile long suspectedTakeovers;
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile Session session;
    private volatile String lastError = "";
    private volatile long quiesceMs = 2000;
    private long generation;
    private End ended;
    private String endReason = "";
    private boolean stopping;

    public MqttConnection(String name, String url, String clientId, MqttConnectOptions options,
                          Duration reconnectMin, Duration reconnectMax, Duration operationTimeout,
                          boolean manualAcks, Listener listener) {
        this.name = name;
        this.url = url;
        this.clientId = clientId;
        this.options = options;
        this.operationTimeout = operationTimeout;
        this.manualAcks = manualAcks;
        this.backoff = new Backoff(reconnectMin, reconnectMax);
        this.listener = listener;
        try {
            // Fails here, at construction, on a bad URL or client id rather than on the connector thread.
            newClient(0).close();
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + url + ": " + e.getMessage(), e);
        }
        this.connector = NamedThreads.single("edge-" + name + "-connector", this::connectLoop);
        connector.setDaemon(true);
    }

    public void start() {
        state = ConnectionState.CONNECTING;
        connector.start();
    }

    public ConnectionState state() {
        return state;
    }

    public String lastError() {
        return lastError;
    }

    public long generation() {
        Session current = session;
        return current == null ? 0 : current.generation();
    }

    public String url() {
        return url;
    }

    /** Exceptions that escaped Paho's threads, the listener or the connector; each replaced the connection. */
    public long failures() {
        return failures.get();
    }

    /** Connections lost soon after connecting, in a series that looks like another client using our id. */
    public long suspectedTakeovers() {
        return suspectedTakeovers;
    }

    /** Connections renewed at the owner's request ({@link #renew}). */
    public long renewals() {
        return renewals.get();
    }

    /** Waits until connected; returns false on timeout. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (state != ConnectionState.CONNECTED) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || state == ConnectionState.STOPPED) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Publishes and waits for the broker's confirmation (QoS 1/2) up to the operation timeout. */
    public void publish(String topic, byte[] payload, int qos, boolean retain) throws MqttException {
        Session current = session;
        if (current == null || !current.open().get()) {
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
        }
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retain);
        IMqttDeliveryToken token;
        try {
            token = current.client().publish(topic, message);
        } catch (IllegalStateException | NullPointerException e) {
            // The client was closed under us (the connection just ended): Paho fails on its cleared fields.
            throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED, e);
        }
        token.waitForCompletion(operationTimeout.toMillis());
    }

    /**
     * Acknowledges a QoS 1 message of {@code messageGeneration}; a no-op after a reconnect (see class notes).
     *
     * @return false when the acknowledgement could not be sent, so that the broker will deliver the message again
     */
    public boolean acknowledge(int messageId, int qos, long messageGeneration) {
        if (qos == 0) {
            return true;
        }
        Session current = session;
        if (current == null || current.generation() != messageGeneration || !current.open().get()) {
            return false;
        }
        try {
            current.client().messageArrivedComplete(messageId, qos);
            return true;
        } catch (MqttException | IllegalStateException | NullPointerException e) {
            // NullPointerException: closed under us, Paho fails on its cleared fields; never into the pipeline.
            LOG.debug("Acknowledging message {} on {} failed ({}); the broker will redeliver it.", messageId, name,
                    e.getMessage());
            return false;
        }
    }

    /**
     * Asks for a clean disconnect and an immediate reconnect, if generation {@code messageGeneration} is still the
     * current one: the way to get back messages the owner refused, which MQTT 3.1.1 redelivers only on a new
     * connection.
     */
    public void renew(long messageGeneration, String reason) {
        endSession(End.RENEW, reason, messageGeneration);
    }

    private MqttAsyncClient newClient(long clientGeneration) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setManualAcks(manualAcks);
        client.setCallback(new Callback(clientGeneration));
        return client;
    }

    private void connectLoop() {
        while (true) {
            Session current;
            lock.lock();
            try {
                if (stopping) {
                    return;
                }
                long next = generation + 1;
                current = new Session(newClient(next), next, new SessionThreads(next), new AtomicBoolean(true));
                generation = next;
                session = current;
                ended = null;
                setState(ConnectionState.CONNECTING);
            } catch (MqttException e) {
                throw new IllegalStateException("the MQTT client was valid at construction: " + e.getMessage(), e);
            } finally {
                lock.unlock();
            }
            End end;
            try {
                connect(current)
                        .waitForCompletion(operationTimeout.toMillis() + options.getConnectionTimeout() * 1000L);
                listener.connected(current.client());
                backoff.reset();
                lastError = "";
                LOG.info("MQTT {} connected to {} as {}.", name, url, clientId);
                long connectedAt = System.currentTimeMillis();
                end = awaitEnd(current.generation());
                if (end == End.LOST) {
                    watchForTakeover(connectedAt);
                }
            } catch (MqttException e) {
                lastError = describe(e);
                end = End.FAILED;
            } catch (RuntimeException e) {
                failure("connecting", e, current.generation());
                end = End.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                discard(current, false);
                return;
            }
            if (end == null) {
                discard(current, true);
                return;
            }
            if (end != End.RENEW) {
                current.open().set(false);
            }
            discard(current, end == End.RENEW);
            long delay = end == End.RENEW ? 0 : backoff.nextDelayMs();
            if (end == End.RENEW) {
                renewals.incrementAndGet();
                LOG.info("MQTT {} renews its connection to {} ({}).", name, url, endReason);
            } else if (end == End.FAILED) {
                LOG.warn("MQTT {} cannot connect to {} ({}); retrying in {} ms.", name, url, lastError, delay);
            } else {
                LOG.warn("MQTT {} lost the connection to {} ({}); reconnecting in {} ms.", name, url, lastError, delay);
            }
            if (!sleep(delay)) {
                return;
            }
        }
    }

    private void watchForTakeover(long connectedAt) {
        if (takeovers.lost(connectedAt, System.currentTimeMillis())) {
            LOG.warn("MQTT {}: the broker keeps closing our connection soon after we connect ({} times within {} s): "
                    + "another client is probably using the client id '{}', and the broker drops the older connection "
                    + "whenever one of them connects. Give every gateway its own broker.clientId.", name,
                    TakeoverWatch.LOSSES, TakeoverWatch.WINDOW_MS / 1000, clientId);
        }
        suspectedTakeovers = takeovers.suspected();
    }

    /**
     * Starts the connect from a thread in the session's group, so that the threads Paho starts for it belong there.
     * {@code MqttAsyncClient.connect} only starts a thread and returns a token.
     */
    private IMqttToken connect(Session current) throws MqttException, InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread starter = new Thread(current.threads(), () -> {
            try {
                result.set(current.client().connect(options));
            } catch (MqttException | RuntimeException e) {
                result.set(e);
            }
        }, "edge-" + name + "-connect");
        starter.setDaemon(true);
        starter.start();
        starter.join(operationTimeout.toMillis());
        Object outcome = result.get();
        if (outcome instanceof IMqttToken token) {
            return token;
        } else if (outcome instanceof MqttException e) {
            throw e;
        } else if (outcome instanceof RuntimeException e) {
            throw e;
        }
        throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
    }

    /** Marks the link connected and waits until it ends; null when stopping. */
    private End awaitEnd(long connectedGeneration) throws InterruptedException {
        lock.lock();
        try {
            if (ended == null && generation == connectedGeneration) {
                setState(ConnectionState.CONNECTED);
            }
            while (ended == null && !stopping) {
                changed.await();
            }
            return stopping ? null : ended;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session of {@code sessionGeneration} (any session when negative), once. */
    private void endSession(End end, String reason, long sessionGeneration) {
        lock.lock();
        try {
            if (ended != null || (sessionGeneration >= 0 && sessionGeneration != generation)) {
                return;
            }
            ended = end;
            endReason = reason;
            if (end == End.LOST) {
                // Its client is about to be closed: nothing more is sent on it.
                session.open().set(false);
                lastError = reason;
                setState(ConnectionState.DISCONNECTED);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** An exception escaped the transport: counted, one line, and the connection is replaced. */
    private void failure(String where, Throwable e, long sessionGeneration) {
        StackTraceElement[] trace = e.getStackTrace();
        String what = where + " failed with " + e + (trace.length == 0 ? "" : " at " + trace[0]);
        Session current = session;
        if (current == null || current.generation() != sessionGeneration) {
            LOG.debug("MQTT {}: {} on connection {}, which was already replaced.", name, what, sessionGeneration);
            return;
        }
        LOG.error("MQTT {}: {} (transport failure #{}); replacing the connection.", name, what,
                failures.incrementAndGet());
        endSession(End.LOST, what, sessionGeneration);
    }

    /**
     * Disconnects (cleanly if asked and possible, else forcibly) and closes {@code client} on a thread of its own,
     * waiting a bounded time: a client wedged inside Paho must not wedge the connector with it.
     */
    private void discard(Session old, boolean clean) {
        // Paho drops acknowledgements still queued when its quiesce time is up: a clean disconnect needs one.
        long quiesce = clean ? quiesceMs : 0;
        Thread closer = NamedThreads.single("edge-" + name + "-closer", () -> closeClient(old.client(), clean, quiesce));
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(quiesce + operationTimeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            LOG.warn("MQTT {}: the previous client did not close within {} ms; abandoned.", name,
                    quiesce + operationTimeout.toMillis() + 1000);
        }
    }

    private void closeClient(MqttAsyncClient client, boolean clean, long quiesce) {
        try {
            if (clean && client.isConnected()) {
                // A barrier: the broker answers in order, so once it has answered this, it has taken every
                // acknowledgement sent before it. Without it, acknowledgements sent just before a disconnect were
                // seen to be lost (and their messages redelivered) when the broker was busy.
                client.unsubscribe(BARRIER_TOPIC).waitForCompletion(operationTimeout.toMillis());
                client.disconnect(quiesce).waitForCompletion(quiesce + operationTimeout.toMillis());
            }
        } catch (MqttException e) {
            LOG.debug("MQTT {} disconnect: {}", name, e.getMessage());
        }
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 100, false);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT {} forced disconnect: {}", name, e.getMessage());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT {} close: {}", name, e.getMessage());
        }
    }

    /** Waits {@code ms} unless stopped first; returns false when stopping. */
    private boolean sleep(long ms) {
        lock.lock();
        try {
            setState(ConnectionState.DISCONNECTED);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            while (!stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                changed.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void setState(ConnectionState newState) {
        state = newState;
        changed.signalAll();
    }

    private static String describe(Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() != null ? cause.getMessage() : e.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /**
     * Stops the link: new messages stop, in-flight work gets {@code quiesce} to finish, then the socket closes. With a
     * persistent session the broker keeps queueing for us until we are back.
     */
    public void close(Duration quiesce) {
        quiesceMs = quiesce.toMillis();
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (connector.isAlive()) {
            try {
                connector.join(2 * (quiesceMs + operationTimeout.toMillis() + 1000)
                        + options.getConnectionTimeout() * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Session current = session;
        if (connector.isAlive() && current != null) {
            discard(current, false);
        }
        lock.lock();
        try {
            setState(ConnectionState.STOPPED);
        } finally {
            lock.unlock();
        }
        LOG.info("MQTT {} disconnected from {}.", name, url);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }

    /** The threads of one connection: Paho's threads for it are started from a thread of this group and land here. */
    private final class SessionThreads extends ThreadGroup {

        private final long sessionGeneration;

        @SuppressWarnings("removal")
        SessionThreads(long sessionGeneration) {
            super("edge-" + name + "-" + sessionGeneration);
            this.sessionGeneration = sessionGeneration;
            // On Java 17 a group stays in its parent until destroyed, and a daemon group is destroyed with its last
            // thread: without this every connection would leave a group behind. Java 19+ ignores it (weak groups).
            setDaemon(true);
        }

        @Override
        public void uncaughtException(Thread thread, Throwable e) {
            failure("thread " + thread.getName(), e, sessionGeneration);
        }
    }

    private final class Callback implements MqttCallback {

        private final long clientGeneration;

        Callback(long clientGeneration) {
            this.clientGeneration = clientGeneration;
        }

        @Override
        public void connectionLost(Throwable cause) {
            endSession(End.LOST, describe(cause), clientGeneration);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                listener.messageArrived(topic, message, clientGeneration);
            } catch (RuntimeException e) {
                // Thrown back into Paho it would end the connection without a word; the message is not acknowledged,
                // so the broker redelivers it on the replacement connection.
                failure("the message listener", e, clientGeneration);
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Publishers wait on their own tokens.
        }
    }
}
