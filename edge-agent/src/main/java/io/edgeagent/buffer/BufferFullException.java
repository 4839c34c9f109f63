package io.edgeagent.buffer;

/**
 * The buffer is at its configured bound ({@code buffer.maxBytes} or {@code buffer.maxAge}) under the
 * {@code backpressure} policy and refused an append. Nothing was written; the caller holds its messages
 * unacknowledged and tries again once the uplink has drained some of the outbox.
 */
public final class BufferFullException extends BufferException {

    public BufferFullException(String message) {
        super(message);
    }
}
