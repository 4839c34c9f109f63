package io.edgeagent.buffer;

/**
 * The buffer's store failed and is being reopened in the background; nothing was read or written. Retry later: the
 * buffer heals by itself once the cause (a full disk, a passing I/O error) is gone.
 */
public final class StorageUnavailableException extends BufferException {

    public StorageUnavailableException(String message) {
        super(message);
    }
}
