package io.edgeagent.buffer;

/**
 * The buffer refused an append and wrote nothing: the outbox is at its configured bound ({@code buffer.maxBytes} or
 * {@code buffer.maxAge}) under the {@code backpressure} policy, or the disk is nearly full
 * ({@link LowDiskSpaceException}). The caller holds its messages unacknowledged and tries again once the uplink has
 * drained some of the outbox or space was freed.
 */
public class BufferFullException extends BufferException {

    public BufferFullException(String message) {
        super(message);
    }
}
