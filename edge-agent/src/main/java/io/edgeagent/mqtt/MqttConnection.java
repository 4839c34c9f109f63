package io.edgeagent.mqtt;

import io.edgeagent.support.Backoff;
import io.edgeagent.support.NamedThreads;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
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
 * the link to drop, and reconnects with capped, jittered backoff. Paho's own reconnect is not used because it never
 * retries a failed first connect and does not resubscribe.
 *
 * <p>Every successful connect starts a new generation. Acknowledgements carry the generation of the message they
 * acknowledge and are dropped if the link has since reconnected: the broker redelivers those messages anyway, and a
 * stale packet id must not acknowledge a different message.
 *
 * <p>Thread-safe. Paho's state lives in memory ({@link MemoryPersistence}): its default file store writes into the
 * working directory, which a hardened service cannot write.
 */
public final class MqttConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    /** What the owner of the link is told. Called on Paho's or the connector's thread: keep it short. */
    public interface Listener {

        /** The link is up; subscribe here (on the connector thread, never inside Paho's callback). */
        default void connected(MqttAsyncClient client) throws MqttException {
        }

        /** A message arrived on generation {@code generation}; may block to slow the broker down. */
        default void messageArrived(String topic, MqttMessage message, long generation) throws InterruptedException {
        }
    }

    private final String name;
    private final String url;
    private final MqttConnectOptions options;
    private final Duration operationTimeout;
    private final Backoff backoff;
    private final Listener listener;
    private final MqttAsyncClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread connector;
    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile long generation;
    private volatile String lastError = "";
    private boolean lost;
    private boolean stopping;

    public MqttConnection(String name, String url, String clientId, MqttConnectOptions options,
                          Duration reconnectMin, Duration reconnectMax, Duration operationTimeout,
                          boolean manualAcks, Listener listener) {
        this.name = name;
        this.url = url;
        this.options = options;
        this.operationTimeout = operationTimeout;
        this.backoff = new Backoff(reconnectMin, reconnectMax);
        this.listener = listener;
        try {
            this.client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + url + ": " + e.getMessage(), e);
        }
        client.setManualAcks(manualAcks);
        client.setCallback(new Callback());
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
        return generation;
    }

    public String url() {
        return url;
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
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retain);
        IMqttDeliveryToken token = client.publish(topic, message);
        token.waitForCompletion(operationTimeout.toMillis());
    }

    /** Acknowledges a QoS 1 message of {@code messageGeneration}; a no-op after a reconnect (see class notes). */
    public void acknowledge(int messageId, int qos, long messageGeneration) {
        if (qos == 0 || messageGeneration != generation || state != ConnectionState.CONNECTED) {
            return;
        }
        try {
            client.messageArrivedComplete(messageId, qos);
        } catch (MqttException e) {
            LOG.debug("Acknowledging message {} on {} failed ({}); the broker will redeliver it.", messageId, name,
                    e.getMessage());
        }
    }

    private void connectLoop() {
        while (true) {
            lock.lock();
            try {
                if (stopping) {
                    return;
                }
                lost = false;
                setState(ConnectionState.CONNECTING);
            } finally {
                lock.unlock();
            }
            try {
                client.connect(options).waitForCompletion(operationTimeout.toMillis() + options.getConnectionTimeout() * 1000L);
                generation++;
                listener.connected(client);
                backoff.reset();
                lastError = "";
                LOG.info("MQTT {} connected to {} as {}.", name, url, client.getClientId());
                lock.lock();
                try {
                    setState(ConnectionState.CONNECTED);
                    while (!lost && !stopping) {
                        changed.await();
                    }
                } finally {
                    lock.unlock();
                }
            } catch (MqttException e) {
                lastError = describe(e);
                disconnectQuietly();
                long delay = backoff.nextDelayMs();
                LOG.warn("MQTT {} cannot connect to {} ({}); retrying in {} ms.", name, url, lastError, delay);
                if (!sleep(delay)) {
                    return;
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (isStopping()) {
                return;
            }
            long delay = backoff.nextDelayMs();
            LOG.warn("MQTT {} lost the connection to {} ({}); reconnecting in {} ms.", name, url, lastError, delay);
            if (!sleep(delay)) {
                return;
            }
        }
    }

    private boolean isStopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
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

    private void disconnectQuietly() {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(100, 100);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT {} forced disconnect: {}", name, e.getMessage());
        }
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
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (client.isConnected()) {
                client.disconnect(quiesce.toMillis()).waitForCompletion(quiesce.toMillis() + 1000);
            }
        } catch (MqttException e) {
            disconnectQuietly();
        }
        try {
            connector.join(quiesce.toMillis() + 1000);
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT {} close: {}", name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

    private final class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            lock.lock();
            try {
                lastError = describe(cause);
                lost = true;
                setState(ConnectionState.DISCONNECTED);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            listener.messageArrived(topic, message, generation);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Publishers wait on their own tokens.
        }
    }
}
