package io.edgeagent.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Threads named after their stage, so a thread dump or a log line says who is doing what; uncaught errors are logged. */
public final class NamedThreads implements ThreadFactory {

    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);

    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    public NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, prefix + "-" + next.getAndIncrement());
        thread.setDaemon(false);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Thread {} died unexpectedly.", t.getName(), e));
        return thread;
    }

    /** One named thread, started by the caller. */
    public static Thread single(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Thread {} died unexpectedly.", t.getName(), e));
        return thread;
    }
}
