package io.edgeagent.actions;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.ActionsConfig;
import io.edgeagent.config.LogAction;
import io.edgeagent.config.MqttAction;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.support.NamedThreads;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actions of fired rules on a bounded pool. {@link #dispatch} never blocks: the rule engine calls it on the
 * pipeline thread, and a slow webhook must not stall ingest. When the queue is full the firing is refused, counted
 * and logged.
 *
 * <p>A rule's steps run in order; a failed step stops the remaining steps of that firing.
 */
public final class ActionDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatcher.class);
    private static final Logger RULE_LOG = LoggerFactory.getLogger("io.edgeagent.rule");

    private final ThreadPoolExecutor pool;
    private final CommandPublisher publisher;
    private final ActionListener listener;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public ActionDispatcher(ActionsConfig config, CommandPublisher publisher, ActionListener listener) {
        this.publisher = publisher;
        this.listener = listener;
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()), new NamedThreads("edge-action"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    public void dispatch(RuleDefinition rule, RuleFiring firing) {
        if (rule.actions().isEmpty()) {
            return;
        }
        try {
            pool.execute(() -> run(rule, firing));
        } catch (RejectedExecutionException e) {
            long count = rejected.incrementAndGet();
            LOG.warn("Action queue is full; the actions of rule {} for {} were not run ({} refused so far).",
                    rule.name(), firing.key(), count);
        }
    }

    private void run(RuleDefinition rule, RuleFiring firing) {
        for (ActionSpec step : rule.actions()) {
            long started = System.currentTimeMillis();
            long t0 = System.nanoTime();
            String detail = "";
            String error = null;
            try {
                detail = execute(step, firing);
                succeeded.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted by shutdown";
            } catch (Exception e) {
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            if (error != null) {
                failed.incrementAndGet();
                LOG.warn("Action {} of rule {} for {} failed: {}; the rule's remaining actions are skipped.",
                        step.type(), rule.name(), firing.key(), error);
            }
            listener.finished(new ActionResult(rule.name(), firing.key(), step.type(), detail, started,
                    (System.nanoTime() - t0) / 1000, error));
            if (error != null) {
                return;
            }
        }
    }

    private String execute(ActionSpec step, RuleFiring firing) throws Exception {
        if (step instanceof LogAction log) {
            String message = Template.render(log.message(), firing.fields());
            switch (log.level()) {
                case "error" -> RULE_LOG.error("[{}] {}", firing.rule(), message);
                case "warn" -> RULE_LOG.warn("[{}] {}", firing.rule(), message);
                default -> RULE_LOG.info("[{}] {}", firing.rule(), message);
            }
            return message;
        }
        MqttAction mqtt = (MqttAction) step;
        String topic = Template.render(mqtt.topic(), firing.fields());
        JsonNode payload = Template.render(mqtt.payload(), firing.fields());
        byte[] bytes = (payload.isTextual() ? payload.textValue() : payload.toString()).getBytes(StandardCharsets.UTF_8);
        publisher.publish(topic, bytes, mqtt.qos(), mqtt.retain());
        return topic;
    }

    public long succeeded() {
        return succeeded.get();
    }

    public long failed() {
        return failed.get();
    }

    public long rejected() {
        return rejected.get();
    }

    /** Runs what is queued, up to {@code deadline}; then interrupts what is still running. */
    public void close(Duration deadline) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                int dropped = pool.shutdownNow().size();
                LOG.warn("Actions did not finish within {} ms; {} queued firings were not run.", deadline.toMillis(), dropped);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
