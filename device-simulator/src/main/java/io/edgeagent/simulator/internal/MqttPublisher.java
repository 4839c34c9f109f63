package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.SimulatorException;
import io.edgeagent.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One MQTT connection that publishes without waiting for each acknowledgement: up to {@code maxInflight} messages
 * are unconfirmed at once, and {@link #publish} blocks (at most the call timeout) when that window is full, which is
 * what paces max-rate mode to the broker. Paho reconnects on its own after a drop; publishing meanwhile counts as an
 * error. {@link #publish} is called from one thread; the callbacks run on Paho's threads.
 */
public final class MqttPublisher implements AutoCloseable {

    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);
    private static final int KEEP_ALIVE_S = 30;
    /** Connect refusals that another attempt cannot fix. */
    private static final Set<Integer> PERMANENT_REFUSALS = Set.of(
            (int) MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION, (int) MqttException.REASON_CODE_INVALID_CLIENT_ID,
            (int) MqttException.REASON_CODE_FAILED_AUTHENTICATION, (int) MqttException.REASON_CODE_NOT_AUTHORIZED);

    private final SimulatorOptions opts;
    private final MqttAsyncClient client;
    private final Semaphore window;
    private final Runnable onSent;
    private final Consumer<String> onError;
    private final IMqttActionListener completion = new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
            // Count before releasing: a caller that awaits the whole window then sees every confirmation counted.
            onSent.run();
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable failure) {
            onError.accept("publish failed: " + describe(failure));
            window.release();
        }
    };

    /**
     * @param onSent  called once per confirmed message, on a Paho thread
     * @param onError called with a one-line description per failed message, on any thread
     */
    public MqttPublisher(SimulatorOptions opts, String clientId, Runnable onSent, Consumer<String> onError) {
        this.opts = opts;
        this.window = new Semaphore(opts.maxInflight());
        this.onSent = onSent;
        this.onError = onError;
        try {
            this.client = new MqttAsyncClient(opts.broker(), clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("cannot create an MQTT client for " + opts.broker() + ": "
                    + describe(e), e);
        }
    }

    /**
     * Connects, retrying with growing delays until the connect timeout has passed; Paho's automatic reconnect only
     * takes over after a first successful connection.
     *
     * @param stopped checked between attempts, to give up early when the run is stopped
     * @throws SimulatorException when no attempt succeeded, with the broker's or the network's reason
     */
    public void connect(BooleanSupplier stopped) {
        MqttConnectOptions options = connectOptions();
        long deadline = System.nanoTime() + opts.connectTimeout().toNanos();
        Duration delay = FIRST_RETRY_DELAY;
        while (true) {
            try {
                client.connect(options).waitForCompletion(opts.connectTimeout().toMillis());
                return;
            } catch (MqttException e) {
                boolean permanent = PERMANENT_REFUSALS.contains(e.getReasonCode());
                if (permanent || stopped.getAsBoolean() || System.nanoTime() + delay.toNanos() >= deadline) {
                    throw new SimulatorException("cannot connect to " + opts.broker()
                            + (permanent ? "" : " within " + opts.connectTimeout().toSeconds() + " s") + ": "
                            + describe(e), e);
                }
                pause(delay);
                delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
            }
        }
    }

    /**
     * Publishes asynchronously once the in-flight window has room; failures, including a window that stays full for
     * the call timeout, go to the error callback.
     */
    public void publish(String topic, byte[] payload) {
        try {
            if (!window.tryAcquire(opts.connectTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                onError.accept("no acknowledgement for " + opts.maxInflight() + " messages within "
                        + opts.connectTimeout().toSeconds() + " s");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            onError.accept("interrupted while waiting to publish");
            return;
        }
        try {
            client.publish(topic, payload, opts.qos(), false, null, completion);
        } catch (MqttException e) {
            window.release();
            onError.accept("publish failed: " + describe(e));
        }
    }

    /** Waits until every published message is confirmed or failed, at most {@code timeout}; true when it was. */
    public boolean awaitConfirmations(Duration timeout) throws InterruptedException {
        if (window.tryAcquire(opts.maxInflight(), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            window.release(opts.maxInflight());
            return true;
        }
        return false;
    }

    /** Messages published and not yet confirmed or failed. */
    public int unconfirmed() {
        return opts.maxInflight() - window.availablePermits();
    }

    /** Disconnects (waiting at most the call timeout) and releases the client's threads. */
    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(opts.connectTimeout().toMillis()).waitForCompletion(opts.connectTimeout().toMillis());
            }
        } catch (MqttException e) {
            onError.accept("disconnect failed: " + describe(e));
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                // Closing after a failed disconnect can only fail again; the client's threads are gone either way.
            }
        }
    }

    private MqttConnectOptions connectOptions() {
        MqttConnectOptions options = new MqttConnectOptions();
        // Nothing is subscribed and a restarted run starts over, so a broker-side session would only hold stale state.
        options.setCleanSession(true);
        options.setAutomaticReconnect(true);
        options.setConnectionTimeout((int) Math.max(1, opts.connectTimeout().toSeconds()));
        options.setKeepAliveInterval(KEEP_ALIVE_S);
        options.setMaxInflight(opts.maxInflight());
        opts.username().ifPresent(options::setUserName);
        opts.password().ifPresent(p -> options.setPassword(p.toCharArray()));
        if (opts.tls()) {
            options.setSocketFactory(TlsSockets.factory(opts));
        }
        return options;
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Paho's messages are terse ("Unable to connect to server"); the cause usually says why. */
    static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += " (" + cause.getMessage() + ")";
        }
        return message;
    }
}
