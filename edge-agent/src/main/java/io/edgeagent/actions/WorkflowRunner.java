package io.edgeagent.actions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.AwaitSpec;
import io.edgeagent.config.EmitAction;
import io.edgeagent.config.ExecAction;
import io.edgeagent.config.HttpAction;
import io.edgeagent.config.LogAction;
import io.edgeagent.config.MqttAction;
import io.edgeagent.config.StepCondition;
import io.edgeagent.config.StepOptions;
import io.edgeagent.config.WorkflowAction;
import io.edgeagent.event.Derived;
import io.edgeagent.threads.Backoff;
import io.edgeagent.logtext.ControlChars;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of one firing in order (docs/actions.md): for each step its {@code when} condition, up to
 * {@code retry.attempts} attempts with capped, jittered exponential backoff, the step's {@code timeout}, its
 * {@code await} of an acknowledgement, and on final failure its {@code onFailure} policy (continue, abort, or run the
 * {@code compensate} steps and abort). Every step result goes to the {@link ActionLog} and the {@link ActionListener}.
 *
 * <p>Blocks the calling action thread for as long as the steps take, backoff included; an interrupt (agent stop)
 * ends the run at once as interrupted. Thread-safe: it holds no per-run state.
 */
final class WorkflowRunner {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);
    private static final Logger RULE_LOG = LoggerFactory.getLogger("io.edgeagent.rule");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BoundedCache<String, StepCondition> CONDITIONS = new BoundedCache<>(1024);
    /** Workflows may call workflows; this bounds a cycle a person wrote by mistake. */
    static final int MAX_DEPTH = 8;

    /** How a run ended: {@code error} is null on success. */
    record Outcome(boolean interrupted, String error) {
        boolean succeeded() {
            return !interrupted && error == null;
        }
    }

    private final CommandPublisher publisher;
    private final AckSource acks;
    private final EmitSink emits;
    private final ExecStep exec;
    private final HttpStep http = new HttpStep();
    private final Map<String, List<ActionSpec>> workflows;
    private final ActionLog log;
    private final ActionListener listener;

    WorkflowRunner(CommandPublisher publisher, AckSource acks, EmitSink emits, List<String> execAllowlist,
                   Map<String, List<ActionSpec>> workflows, ActionLog log, ActionListener listener) {
        this.publisher = publisher;
        this.acks = acks;
        this.emits = emits;
        this.exec = new ExecStep(execAllowlist);
        this.workflows = workflows;
        this.log = log;
        this.listener = listener;
    }

    private static final class Run {
        final long id;
        final String rule;
        final String key;
        final Map<String, Object> fields;
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger stepsOk = new AtomicInteger();
        final AtomicInteger stepsFailed = new AtomicInteger();

        Run(long id, String rule, String key, Map<String, Object> fields) {
            this.id = id;
            this.rule = rule;
            this.key = key;
            this.fields = fields;
        }
    }

    /** Runs {@code steps} as run {@code runId} (already started in the log) and records its end. */
    Outcome run(long runId, String rule, String key, Map<String, Object> fields, List<ActionSpec> steps) {
        Run run = new Run(runId, rule, key, fields);
        Outcome outcome;
        try {
            String error = runSteps(run, "", steps, 0);
            outcome = new Outcome(false, error);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(true, "interrupted: the agent stopped during the run");
        }
        String status = outcome.interrupted() ? ActionRun.INTERRUPTED
                : outcome.error() == null ? ActionRun.SUCCEEDED : ActionRun.FAILED;
        log.finish(runId, status, outcome.error());
        if (outcome.error() != null && !outcome.interrupted()) {
            LOG.warn("Action run {} of rule {} for {} failed: {}. It is in the dead-letter record ('edge-agent actions "
                    + "failed'); retry it with 'edge-agent actions retry {}'.", runId, rule, key, outcome.error(), runId);
        }
        return outcome;
    }

    /** @return null when the steps succeeded (or their failures were tolerated), else what failed */
    private String runSteps(Run run, String prefix, List<ActionSpec> steps, int depth) throws InterruptedException {
        boolean previousOk = true;
        for (int i = 0; i < steps.size(); i++) {
            ActionSpec step = steps.get(i);
            String path = prefix + i;
            long started = System.currentTimeMillis();
            if (step.when() != null && !CONDITIONS.get(step.when(), StepCondition::parse).test(run.fields, previousOk)) {
                record(run, path, step, 0, "skipped", null, "when " + step.when() + " was false", started);
                continue;
            }
            int attempts = 0;
            String error = null;
            String output = "";
            Backoff backoff = new Backoff(step.retry().initialBackoff(), step.retry().maxBackoff());
            while (true) {
                attempts++;
                try {
                    output = attempt(run, path, step, depth);
                    error = null;
                    break;
                } catch (StepFailure e) {
                    error = e.getMessage();
                    output = e.output();
                    if (e instanceof RefusedValue) {
                        break;
                    }
                } catch (InterruptedException e) {
                    record(run, path, step, attempts, "failed", "interrupted by shutdown", output, started);
                    throw e;
                } catch (Exception e) {
                    error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
                if (attempts >= step.retry().attempts()) {
                    break;
                }
                long delay = backoff.nextDelayMs();
                LOG.info("Step {} ({}) of action run {} failed on attempt {} of {}: {}; trying again in {} ms.", path,
                        step.type(), run.id, attempts, step.retry().attempts(), error, delay);
                Thread.sleep(delay);
            }
            record(run, path, step, attempts, error == null ? "ok" : "failed", error, output, started);
            if (error == null) {
                previousOk = true;
                continue;
            }
            previousOk = false;
            String failure = "step " + path + " (" + step.type() + ") failed after " + attempts
                    + (attempts == 1 ? " attempt: " : " attempts: ") + error;
            switch (step.onFailure()) {
                case StepOptions.ON_FAILURE_CONTINUE -> LOG.info("{} in action run {}; onFailure is continue.", failure, run.id);
                case StepOptions.ON_FAILURE_COMPENSATE -> {
                    String compensation = runSteps(run, path + ".c", step.compensate(), depth + 1);
                    return failure + (compensation == null ? "; compensation ran"
                            : "; compensation failed too: " + compensation);
                }
                default -> {
                    return failure;
                }
            }
        }
        return null;
    }

    /** One attempt of one step; returns what to record as its output. */
    private String attempt(Run run, String path, ActionSpec step, int depth) throws Exception {
        AwaitSpec await = step.await();
        AckSource.Expectation expectation = null;
        String topic = null;
        if (await != null) {
            topic = Template.topic(await.topic(), run.fields);
            expectation = acks.expect(topic, await.match() == null ? null : Template.render(await.match(), run.fields));
        }
        try {
            String output = execute(run, path, step, depth);
            if (expectation != null) {
                String ack = expectation.await(await.timeout());
                if (ack == null) {
                    throw new StepFailure("no acknowledgement on " + topic + " within " + await.timeout().toMillis()
                            + " ms", output);
                }
                output = output + (output.isEmpty() ? "" : "\n") + "ack: " + ack;
            }
            return output;
        } finally {
            if (expectation != null) {
                expectation.close();
            }
        }
    }

    private String execute(Run run, String path, ActionSpec step, int depth) throws Exception {
        Map<String, Object> fields = run.fields;
        if (step instanceof LogAction logStep) {
            // Escaped here as well as by the log layout: the message is also the step's recorded output.
            String message = ControlChars.escape(Template.render(logStep.message(), fields));
            switch (logStep.level()) {
                case "error" -> RULE_LOG.error("[{}] {}", run.rule, message);
                case "warn" -> RULE_LOG.warn("[{}] {}", run.rule, message);
                default -> RULE_LOG.info("[{}] {}", run.rule, message);
            }
            return message;
        } else if (step instanceof MqttAction mqtt) {
            String topic = Template.topic(mqtt.topic(), fields);
            byte[] bytes = Template.json(mqtt.payload(), fields).getBytes(StandardCharsets.UTF_8);
            publisher.publish(topic, bytes, mqtt.qos(), mqtt.retain());
            return topic;
        } else if (step instanceof ExecAction execStep) {
            return exec.run(execStep, fields, step.timeout() == null ? ExecAction.DEFAULT_TIMEOUT : step.timeout());
        } else if (step instanceof HttpAction httpStep) {
            return http.run(httpStep, fields, step.timeout() == null ? HttpAction.DEFAULT_TIMEOUT : step.timeout());
        } else if (step instanceof EmitAction emit) {
            Map<String, Object> values = new LinkedHashMap<>();
            if (emit.fields() != null) {
                // Through text, so numbers come back as the same types as a device event's fields (Double, Integer).
                values = JSON.readValue(Template.json(emit.fields(), fields), JSON.getTypeFactory().constructMapType(LinkedHashMap.class,
                        String.class, Object.class));
            }
            long now = System.currentTimeMillis();
            Object device = fields.get("deviceId");
            Derived event = new Derived("action-" + run.id + "-" + path, device == null ? run.key : String.valueOf(device),
                    emit.event(), values, now, now, "rules/" + run.rule);
            emits.emit(event);
            return event.id();
        } else if (step instanceof WorkflowAction call) {
            List<ActionSpec> steps = workflows.get(call.name());
            if (steps == null) {
                throw new StepFailure("no workflow named " + call.name() + " in actions.workflows");
            }
            if (depth >= MAX_DEPTH) {
                throw new StepFailure("workflows call each other more than " + MAX_DEPTH + " levels deep");
            }
            String error = runSteps(run, path + ".", steps, depth + 1);
            if (error != null) {
                throw new StepFailure("workflow " + call.name() + ": " + error);
            }
            return "workflow " + call.name();
        }
        throw new StepFailure("unknown step type " + step.type());
    }

    private void record(Run run, String path, ActionSpec step, int attempts, String outcome, String error, String output,
                        long started) {
        long ended = System.currentTimeMillis();
        log.step(run.id, run.seq.getAndIncrement(), new ActionRun.Step(path, step.type(), attempts, outcome, error,
                output, started, ended));
        if (!outcome.equals("skipped")) {
            listener.finished(new ActionResult(run.rule, run.key, step.type(), output == null ? "" : firstLine(output),
                    started, (ended - started) * 1000, error));
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
