package io.edgeagent.buffer;

/**
 * The data directory's file system has less free space than {@code buffer.minFreeSpace}; the append was refused and
 * nothing was written. Like {@link BufferFullException} (which it is, so callers that hold their acknowledgements on
 * a full buffer do the same here): hold the messages unacknowledged and try again; the broker keeps the rest.
 */
public final class LowDiskSpaceException extends BufferFullException {

    public LowDiskSpaceException(String message) {
        super(message);
    }
}
