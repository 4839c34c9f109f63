package io.edgeagent.uplink;

/** An upload was not confirmed: the target is down, refused the batch, or did not answer in time. Retried. */
public final class UplinkException extends Exception {

    private final boolean refusedAsItIs;

    public UplinkException(String message) {
        this(message, null, false);
    }

    public UplinkException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private UplinkException(String message, Throwable cause, boolean refusedAsItIs) {
        super(message, cause);
        this.refusedAsItIs = refusedAsItIs;
    }

    /**
     * The target answered, stored none of the batch and will not store it as it is: the next attempt may take a
     * different batch from the outbox (with newer events that show which ones the target refuses) instead of the
     * same one.
     */
    public static UplinkException refusedAsItIs(String message) {
        return new UplinkException(message, null, true);
    }

    public boolean refusedAsItIs() {
        return refusedAsItIs;
    }
}
