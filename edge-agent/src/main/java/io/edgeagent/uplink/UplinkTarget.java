package io.edgeagent.uplink;

/**
 * Where batches go. {@link #send} returns only when the target has confirmed the whole batch (MQTT: the PUBACK of a
 * QoS 1 publish; HTTP: a configured success status) and throws otherwise; it may be called again with the same
 * batch, so the same events must produce the same bytes and the same idempotency key.
 *
 * <p>Called from the uplink thread only; {@link #close} may come from another thread while a send is in progress.
 */
public interface UplinkTarget extends AutoCloseable {

    /** Starts background work such as connecting; does not wait for it. */
    void start();

    /**
     * @return the bytes put on the wire (after compression)
     * @throws RejectedEventsException the rest of the batch is confirmed, the events it names never will be
     */
    long send(UplinkBatch batch) throws UplinkException, RejectedEventsException, InterruptedException;

    /** The target for logs and status: type and URL without credentials. */
    String describe();

    /** Whether the last attempt reached the target (for status; MQTT: the link is up). */
    boolean connected();

    @Override
    void close();
}
