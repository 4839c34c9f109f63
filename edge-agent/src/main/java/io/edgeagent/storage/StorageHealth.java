package io.edgeagent.storage;

/**
 * Whether a store (the buffer, the action log) can take writes now, for readiness and status.
 *
 * @param state       {@code HEALTHY}; {@code LOW_DISK_SPACE}: writes are refused before the disk fills (reads and
 *                    removals go on); {@code REOPENING}: the store failed and is being reopened with backoff
 * @param reason      what is wrong, "" when healthy
 * @param sinceMillis when the current episode started, epoch ms; 0 when healthy
 */
public record StorageHealth(State state, String reason, long sinceMillis) {

    public enum State { HEALTHY, LOW_DISK_SPACE, REOPENING }

    public static final StorageHealth HEALTHY = new StorageHealth(State.HEALTHY, "", 0);

    public boolean healthy() {
        return state == State.HEALTHY;
    }
}
