package io.edgeagent.uplink;

/** An upload was not confirmed: the target is down, refused the batch, or did not answer in time. Retried. */
public final class UplinkException extends Exception {

    public UplinkException(String message) {
        super(message);
    }

    public UplinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
