package io.edgeagent.config;

/**
 * The pool that runs rule actions. Bounded in threads and queue so a slow action never stalls ingest; a firing that
 * finds the queue full is refused, counted and logged.
 */
public record ActionsConfig(Integer threads, Integer queueCapacity) {

    public static final int DEFAULT_THREADS = 4;
    public static final int DEFAULT_QUEUE_CAPACITY = 1000;

    public ActionsConfig {
        threads = threads == null ? DEFAULT_THREADS : threads;
        queueCapacity = queueCapacity == null ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
    }
}
