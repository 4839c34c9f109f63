package io.edgeagent.storage;

import io.edgeagent.threads.Backoff;
import io.edgeagent.threads.NamedThreads;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded database usable through storage faults. H2 closes its store after a failed write (ENOSPC, EIO)
 * and every later call fails until the file is opened again; so when the owner reports a fault the session is closed
 * and a thread ({@code edge-<name>-reopen}) opens a new one with capped, jittered backoff until an open succeeds. The
 * opener must prove the file takes writes again (write and checkpoint something), or a full disk would look healed.
 * Meanwhile {@link #session} is null, so callers fail fast without touching the file or flooding H2's log.
 *
 * <p>One log line when an episode starts and one when it ends, however many attempts lie between.
 *
 * <p>Locking: the owner's monitor ({@code lock}). Callers hold it while they use the session; the reopen thread holds it
 * while it opens and installs a session, so no caller sees a half-opened store.
 *
 * @param <S> the owner's session: a connection and what is prepared on it
 */
public final class ReopeningStore<S extends AutoCloseable> {

    private static final Logger LOG = LoggerFactory.getLogger(ReopeningStore.class);

    /** Opens a fresh session on the file; it must have written and checkpointed something before it returns. */
    @FunctionalInterface
    public interface Opener<S> {
        S open() throws Exception;
    }

    private final String name;
    private final Object lock;
    private final Opener<S> opener;
    private final Duration retryMin;
    private final Duration retryMax;
    private S session;
    private volatile StorageHealth health = StorageHealth.HEALTHY;
    private long episodes;
    private boolean closed;

    /**
     * @param name    what the store holds, for the log and the thread ("buffer", "action log")
     * @param session the session opened at start
     */
    public ReopeningStore(String name, Object lock, S session, Opener<S> opener, Duration retryMin, Duration retryMax) {
        this.name = name;
        this.lock = lock;
        this.session = session;
        this.opener = opener;
        this.retryMin = retryMin;
        this.retryMax = retryMax;
    }

    /**
     * Whether a failed statement means the store itself is unusable, rather than the statement being wrong (SQL
     * state classes 22 data, 23 constraint, 42 syntax): those fail the same way on a fresh store.
     */
    public static boolean isStorageFault(SQLException e) {
        String state = e.getSQLState();
        return state == null || !(state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }

    /** The open session, or null while the store is being reopened. Call with the owner's lock held. */
    public S session() {
        return session;
    }

    /**
     * Reports a storage fault seen on the current session: closes it and starts reopening. Further faults of the same
     * episode are ignored. Call with the owner's lock held.
     */
    public void fault(Exception e) {
        if (session == null || closed) {
            return;
        }
        closeQuietly(session);
        session = null;
        episodes++;
        String reason = reason(e);
        health = new StorageHealth(StorageHealth.State.REOPENING, reason, System.currentTimeMillis());
        LOG.error("The {} storage failed ({}); closed it, nothing is written until it reopens, trying again in the "
                + "background from {} ms up to every {} s.", name, reason, retryMin.toMillis(), retryMax.toSeconds());
        NamedThreads.single("edge-" + name.replace(' ', '-') + "-reopen", this::reopen).start();
    }

    private void reopen() {
        Backoff backoff = new Backoff(retryMin, retryMax);
        int attempts = 0;
        while (true) {
            synchronized (lock) {
                try {
                    long delay = backoff.nextDelayMs();
                    long until = System.currentTimeMillis() + delay;
                    // wait, not sleep: releases the owner's lock, and close() wakes it.
                    for (long left = delay; left > 0 && !closed; left = until - System.currentTimeMillis()) {
                        lock.wait(left);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (closed) {
                    return;
                }
                attempts++;
                try {
                    session = opener.open();
                    LOG.info("The {} storage works again after {} s and {} attempts to reopen it.", name,
                            (System.currentTimeMillis() - health.sinceMillis()) / 1000, attempts);
                    health = StorageHealth.HEALTHY;
                    return;
                } catch (Exception e) {
                    String reason = reason(e);
                    health = new StorageHealth(StorageHealth.State.REOPENING, reason, health.sinceMillis());
                    LOG.debug("Reopening the {} storage failed (attempt {}): {}", name, attempts, reason);
                }
            }
        }
    }

    /** The error's message on one line, without the SQL statement H2 appends. */
    static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int statement = message.indexOf("; SQL statement:");
        int line = message.indexOf('\n');
        int end = statement >= 0 ? statement : line >= 0 ? line : message.length();
        return message.substring(0, end).strip();
    }

    public StorageHealth health() {
        return health;
    }

    /** Storage faults since start (episodes, not attempts). Call with the owner's lock held. */
    public long episodes() {
        return episodes;
    }

    /** Stops reopening and closes the session, if one is open. Call with the owner's lock held. */
    public void close() {
        closed = true;
        lock.notifyAll();
        if (session != null) {
            closeQuietly(session);
            session = null;
        }
    }

    private void closeQuietly(S s) {
        try {
            s.close();
        } catch (Exception e) {
            LOG.debug("Closing the failed {} session: {}", name, e.getMessage());
        }
    }
}
