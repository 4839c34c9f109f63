package io.edgeagent.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.edgeagent.config.ActionSpec;
import io.edgeagent.config.ActionsConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Placeholders;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Derived;
import io.edgeagent.event.RuleFiring;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workflow runner and dispatcher with real parts: child processes, a loopback HTTP server, the H2 action log.
 * Durations are configured short; waits are on conditions.
 */
@Timeout(60)
class WorkflowRunnerTest {

    private static final String SECRET = "s3cret-token-value";

    @TempDir
    Path dir;

    private final List<Derived> emitted = new CopyOnWriteArrayList<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ActionLog log;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        if (log != null) {
            log.close();
        }
    }

    // ---------------------------------------------------------------- exec

    /** Acknowledgements are delivered by the test itself; no broker subscription is involved. */
    private static AckWaiter unsubscribedAckWaiter() {
        return new AckWaiter(new AckWaiter.Subscriptions() {
            @Override
            public void subscribe(String topic) {
            }

            @Override
            public void unsubscribe(String topic) {
            }
        });
    }

    @Test
    void exec_failsTwiceThenSucceeds_retriedUntilItSucceeds() throws Exception {
        Path script = script("flaky.sh", "n=$(cat \"$1\" 2>/dev/null || echo 0)", "n=$((n+1))", "echo \"$n\" > \"$1\"",
                "echo \"attempt $n\"", "[ \"$n\" -ge 3 ]");
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [" + script + ", " + dir.resolve("count") + "]",
                "    retry: {attempts: 3, initialBackoff: 10ms, maxBackoff: 50ms}"), Map.of());

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(run.steps()).singleElement().satisfies(step -> {
            assertThat(step.attempts()).isEqualTo(3);
            assertThat(step.outcome()).isEqualTo("ok");
            assertThat(step.output()).contains("attempt 3");
        });
    }

    @Test
    void exec_exitCodeStaysWrong_runFailsIntoTheDeadLetterRecord() throws Exception {
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [" + script("fail.sh", "echo broken >&2", "exit 3") + "]",
                "    retry: {attempts: 2, initialBackoff: 10ms}"), Map.of());

        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("exited with 3").contains("after 2 attempts");
        assertThat(run.steps().get(0).output()).contains("broken");
        assertThat(log.failed(10)).extracting(ActionRun::id).containsExactly(run.id());
    }

    @Test
    void exec_programHangs_killedAtItsTimeout() throws Exception {
        Path script = script("hang.sh", "echo started", "echo $$ > \"$1\"", "exec sleep 600");
        long t0 = System.nanoTime();
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [" + script + ", " + dir.resolve("pid") + "]",
                "    timeout: 1s"), Map.of());

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("did not finish within 1000 ms and was killed");
        assertThat(run.steps().get(0).output()).contains("started");
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void exec_argumentWithShellSyntax_arrivesAsOneLiteralArgument() throws Exception {
        Path out = dir.resolve("args.txt");
        Path script = script("args.sh", "out=\"$1\"", "shift", "printf '%s\\n' \"$#\" \"$@\" > \"$out\"");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "$(rm -rf /); echo");
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [" + script + ", " + out + ", \"{name}\", \"a b; ls *\"]"), fields);

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(Files.readAllLines(out)).containsExactly("2", "$(rm -rf /); echo", "a b; ls *");
    }

    @Test
    void exec_programNotInAllowlist_failsWithoutRunningIt() throws Exception {
        Path marker = dir.resolve("ran");
        Path script = script("touch.sh", "touch \"$1\"");
        ActionRun run = runToEnd(new ActionsConfig(null, null, null, List.of("/usr/bin/true"), null),
                actions("  - type: exec", "    command: [" + script + ", " + marker + "]"), Map.of());

        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("is not in actions.execAllowlist");
        assertThat(marker).doesNotExist();
    }

    // ---------------------------------------------------------------- http

    @Test
    void http_serverAnswers500Then200_retriedAndHeadersNeverRecorded() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = calls.incrementAndGet() == 1 ? 500 : 200;
            byte[] answer = (status == 200 ? "accepted" : "try later").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        closing.add(() -> server.stop(0));

        ActionRun run = runToEnd(actions(
                "  - type: http",
                "    url: http://127.0.0.1:" + server.getAddress().getPort() + "/hook",
                "    headers: {Authorization: \"Bearer ${ENV:HOOK_TOKEN}\"}",
                "    body: {device: \"{deviceId}\", temperature: \"{temperature}\"}",
                "    timeout: 2s",
                "    retry: {attempts: 3, initialBackoff: 10ms}"), Map.of("deviceId", "cold-1", "temperature", 9.5));

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(run.steps().get(0).attempts()).isEqualTo(2);
        assertThat(run.steps().get(0).output()).contains("HTTP 200 accepted");
        assertThat(bodies).allSatisfy(b -> assertThat(b).isEqualTo("{\"device\":\"cold-1\",\"temperature\":9.5}"));
        assertThat(auth).containsOnly("Bearer " + SECRET);
        assertThat(log.run(run.id()).orElseThrow().toString()).doesNotContain(SECRET);
    }

    @Test
    void http_nothingListening_failsWithTheReason() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ActionRun run = runToEnd(actions("  - type: http", "    url: http://127.0.0.1:" + port + "/x", "    timeout: 1s"),
                Map.of());

        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("POST http://127.0.0.1:" + port + "/x failed");
    }

    // ---------------------------------------------------------------- workflow options

    @Test
    void when_conditionsOnFieldsAndPreviousStep_skipOrRunSteps() throws Exception {
        ActionRun run = runToEnd(actions(
                "  - type: log",
                "    message: hot",
                "    when: \"{temperature} > 8\"",
                "  - type: log",
                "    message: cold",
                "    when: \"{temperature} <= 8\"",
                "  - type: exec",
                "    command: [/bin/false]",
                "    onFailure: continue",
                "  - type: log",
                "    message: after failure",
                "    when: previous.failed",
                "  - type: log",
                "    message: room {room}",
                "    when: \"{room} == 'A'\""), Map.of("temperature", 9.5, "room", "A"));

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(run.steps()).extracting(ActionRun.Step::outcome)
                .containsExactly("ok", "skipped", "failed", "ok", "ok");
    }

    @Test
    void onFailure_compensate_runsCompensationStepsAndFailsTheRun() throws Exception {
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [/bin/false]",
                "    onFailure: compensate",
                "    compensate:",
                "      - type: emit",
                "        event: alert",
                "        fields: {device: \"{deviceId}\", value: \"{temperature}\"}",
                "  - type: log",
                "    message: never"), Map.of("deviceId", "cold-1", "temperature", 9.5));

        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("step 0 (exec) failed").contains("compensation ran");
        assertThat(run.steps()).extracting(ActionRun.Step::path).containsExactly("0", "0.c0");
        assertThat(emitted).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("alert");
            assertThat(e.deviceId()).isEqualTo("cold-1");
            assertThat(e.fields()).containsEntry("device", "cold-1").containsEntry("value", 9.5);
            assertThat(e.id()).isEqualTo("action-" + run.id() + "-0.c0");
        });
    }

    @Test
    void workflowStep_namedWorkflow_runsItsStepsInOrder() throws Exception {
        Map<String, List<ActionSpec>> workflows = Map.of("notify", actions(
                "  - type: mqtt",
                "    topic: alerts/{deviceId}",
                "    payload: first",
                "  - type: mqtt",
                "    topic: alerts/{deviceId}",
                "    payload: second"));
        ActionRun run = runToEnd(new ActionsConfig(null, null, null, null, workflows),
                actions("  - type: workflow", "    name: notify"), Map.of("deviceId", "d1"));

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(published).containsExactly("alerts/d1 first", "alerts/d1 second");
        assertThat(run.steps()).extracting(ActionRun.Step::path).containsExactly("0.0", "0.1", "0");
    }

    @Test
    void await_ackArrives_stepSucceeds_andNoAckFailsAfterItsTimeout() throws Exception {
        AckWaiter acks = unsubscribedAckWaiter();
        CommandPublisher answering = (topic, payload, qos, retain) -> {
            published.add(topic);
            if (new String(payload, StandardCharsets.UTF_8).contains("start")) {
                acks.deliver("actuators/d1/ack", "{\"state\":\"started\"}".getBytes(StandardCharsets.UTF_8), false);
            }
        };
        List<ActionSpec> steps = actions(
                "  - type: mqtt",
                "    topic: actuators/{deviceId}/command",
                "    payload: \"{command}\"",
                "    await: {topic: \"actuators/{deviceId}/ack\", match: started, timeout: 300ms}");

        ActionRun ok = runToEnd(ActionsConfig.defaults(), steps, Map.of("deviceId", "d1", "command", "start"), answering, acks);
        ActionRun silent = runToEnd(ActionsConfig.defaults(), steps, Map.of("deviceId", "d1", "command", "stop"), answering,
                acks);

        assertThat(ok.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(ok.steps().get(0).output()).contains("ack: {\"state\":\"started\"}");
        assertThat(silent.status()).isEqualTo(ActionRun.FAILED);
        assertThat(silent.error()).contains("no acknowledgement on actuators/d1/ack within 300 ms");
        assertThat(acks.topics()).isEmpty();
    }

    // ---------------------------------------------------------------- device values are data

    @Test
    void mqtt_deviceIdThatWouldAddTopicLevels_runRefusedOnceWithTheReasonAndNothingPublished() throws Exception {
        ActionRun run = runToEnd(actions(
                "  - type: mqtt",
                "    topic: actuators/{deviceId}/command",
                "    payload: stop",
                "    retry: {attempts: 3, initialBackoff: 10ms}",
                "    await: {topic: \"actuators/{deviceId}/ack\", timeout: 1s}"), Map.of("deviceId", "../x"));

        assertThat(published).isEmpty();
        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).isEqualTo("step 0 (mqtt) failed after 1 attempt: refused: field deviceId (\"../x\") "
                + "cannot go into the topic actuators/{deviceId}/ack: it contains '/', which would add a topic level");
        assertThat(log.failed(10)).extracting(ActionRun::id).containsExactly(run.id());
    }

    @Test
    void mqtt_wildcardInAwaitTopic_refusedBeforeAnythingIsSubscribed() throws Exception {
        List<String> subscribed = new CopyOnWriteArrayList<>();
        AckWaiter acks = new AckWaiter(new AckWaiter.Subscriptions() {
            @Override
            public void subscribe(String topic) {
                subscribed.add(topic);
            }

            @Override
            public void unsubscribe(String topic) {
            }
        });
        ActionRun run = runToEnd(ActionsConfig.defaults(), actions(
                "  - type: mqtt",
                "    topic: actuators/fan/command",
                "    payload: \"{deviceId}\"",
                "    await: {topic: \"acks/{deviceId}\", timeout: 1s}"), Map.of("deviceId", "#"),
                (topic, payload, qos, retain) -> published.add(topic), acks);

        assertThat(run.error()).contains("refused: field deviceId (\"#\")").contains("an MQTT wildcard");
        assertThat(subscribed).isEmpty();
        assertThat(published).isEmpty();
    }

    @Test
    void http_deviceIdWithQueryAndFragment_reachesTheServerInsideItsPathSegment() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getRawPath() + " ? " + exchange.getRequestURI().getRawQuery());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        closing.add(() -> server.stop(0));

        ActionRun run = runToEnd(actions(
                "  - type: http",
                "    url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/devices/{deviceId}?token=abc\"",
                "    timeout: 2s"), Map.of("deviceId", "h2?x=1#frag"));

        assertThat(run.status()).isEqualTo(ActionRun.SUCCEEDED);
        assertThat(requests).containsExactly("/devices/h2%3Fx%3D1%23frag ? token=abc");
    }

    @Test
    void log_deviceIdWithNewline_recordedAndLoggedAsOneLine() throws Exception {
        ActionRun run = runToEnd(actions(
                "  - type: log",
                "    message: \"door open at {deviceId}\""), Map.of("deviceId", "d1\n2026-12-04 INFO forged line\u001b[2J"));

        assertThat(run.steps().get(0).output())
                .isEqualTo("door open at d1\\n2026-12-04 INFO forged line\\u001B[2J");
    }

    @Test
    void exec_argumentWithNul_refusedWithoutStartingTheProgram() throws Exception {
        Path marker = dir.resolve("ran");
        ActionRun run = runToEnd(actions(
                "  - type: exec",
                "    command: [" + script("touch.sh", "touch \"$1\"") + ", " + marker + ", \"{name}\"]",
                "    retry: {attempts: 3, initialBackoff: 10ms}"), Map.of("name", "a\u0000b"));

        assertThat(run.error()).contains("after 1 attempt: refused: field name").contains("NUL");
        assertThat(marker).doesNotExist();
    }

    @Test
    void workflowStep_unknownWorkflow_failsTheRun() throws Exception {
        ActionRun run = runToEnd(actions("  - type: workflow", "    name: nowhere"), Map.of());

        assertThat(run.status()).isEqualTo(ActionRun.FAILED);
        assertThat(run.error()).contains("no workflow named nowhere");
    }

    @Test
    void actionLog_moreRunsThanKept_oldestRunsAndStepsDeleted() {
        log = ActionLog.open(dir, java.time.Clock.systemUTC(), 50);
        for (int i = 0; i < 2 * ActionLog.PRUNE_EVERY; i++) {
            long id = log.start("r", "k" + i, Map.of(), 0);
            log.step(id, 0, new ActionRun.Step("0", "log", 1, "ok", null, "", 0, 0));
            log.finish(id, ActionRun.SUCCEEDED, null);
        }

        assertThat(log.runs(1000)).hasSize(50);
        assertThat(log.run(1)).isEmpty();
        assertThat(log.run(2L * ActionLog.PRUNE_EVERY).orElseThrow().steps()).hasSize(1);
    }

    @Test
    void actionLog_corruptFile_movedAsideAndFreshLogStarted() throws Exception {
        byte[] garbage = "this is not an H2 database file".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("actions.mv.db"), garbage);

        log = ActionLog.open(dir);
        long id = log.start("r", "k", Map.of(), 0);

        assertThat(log.run(id)).isPresent();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("actions.mv.db.corrupt-")))
                    .singleElement().satisfies(f -> assertThat(Files.readAllBytes(f)).isEqualTo(garbage));
        }
    }

    // ---------------------------------------------------------------- dispatcher: dedup, restart, retry

    @Test
    void dispatch_sameRuleAndKeyWhileRunning_startsOneRun() throws Exception {
        AckWaiter acks = unsubscribedAckWaiter();
        RuleDefinition rule = rule(actions(
                "  - type: log",
                "    message: waiting",
                "    await: {topic: \"done/{deviceId}\", timeout: 20s}"));
        log = ActionLog.open(dir);
        ActionDispatcher dispatcher = new ActionDispatcher(ActionsConfig.defaults(), (t, p, q, r) -> { }, acks,
                emitted::add, log, name -> Optional.of(rule), ActionListener.NONE);
        closing.add(dispatcher);

        for (int i = 0; i < 50; i++) {
            dispatcher.dispatch(rule, new RuleFiring("r", "d1", Map.of("deviceId", "d1"), 0));
        }
        dispatcher.dispatch(rule, new RuleFiring("r", "d2", Map.of("deviceId", "d2"), 0));
        await().until(() -> acks.topics().size() == 2);
        acks.deliver("done/d1", new byte[0], false);
        acks.deliver("done/d2", new byte[0], false);
        await().until(() -> dispatcher.runsSucceeded() == 2);

        assertThat(dispatcher.deduplicated()).isEqualTo(49);
        assertThat(log.runs(100)).hasSize(2);
    }

    @Test
    void restart_midWorkflow_runMarkedInterruptedAndRetryable() throws Exception {
        AckWaiter acks = unsubscribedAckWaiter();
        RuleDefinition rule = rule(actions(
                "  - type: mqtt",
                "    topic: actuators/{deviceId}/command",
                "    payload: start",
                "  - type: log",
                "    message: waiting",
                "    await: {topic: \"done/{deviceId}\", timeout: 20s}"));
        // First life: the run is cut off mid-workflow; the database is left as a kill -9 would leave it.
        ActionLog first = ActionLog.open(dir);
        long id = first.start(rule.name(), "d1", Map.of("deviceId", "d1"), 0);
        first.step(id, 0, new ActionRun.Step("0", "mqtt", 1, "ok", null, "actuators/d1/command", 1, 2));
        first.close();

        log = ActionLog.open(dir);
        assertThat(log.interruptedAtOpen()).isEqualTo(1);
        ActionRun interrupted = log.run(id).orElseThrow();
        assertThat(interrupted.status()).isEqualTo(ActionRun.INTERRUPTED);
        assertThat(interrupted.steps()).hasSize(1);
        assertThat(log.failed(10)).extracting(ActionRun::id).containsExactly(id);

        ActionDispatcher dispatcher = new ActionDispatcher(ActionsConfig.defaults(),
                (t, p, q, r) -> published.add(t), acks, emitted::add, log, name -> Optional.of(rule), ActionListener.NONE);
        closing.add(dispatcher);
        long retry = dispatcher.retry(id).orElseThrow();
        await().until(() -> acks.topics().contains("done/d1"));
        acks.deliver("done/d1", new byte[0], false);
        await().until(() -> log.run(retry).orElseThrow().status().equals(ActionRun.SUCCEEDED));

        assertThat(published).containsExactly("actuators/d1/command");
        assertThat(log.run(retry).orElseThrow().retryOf()).isEqualTo(id);
        assertThat(log.run(id).orElseThrow().retriedBy()).isEqualTo(retry);
    }

    @Test
    void stop_midWorkflow_runRecordedAsInterrupted() throws Exception {
        AckWaiter acks = unsubscribedAckWaiter();
        RuleDefinition rule = rule(actions("  - type: log", "    message: waiting",
                "    await: {topic: \"done/{deviceId}\", timeout: 60s}"));
        log = ActionLog.open(dir);
        ActionDispatcher dispatcher = new ActionDispatcher(ActionsConfig.defaults(), (t, p, q, r) -> { }, acks,
                emitted::add, log, name -> Optional.of(rule), ActionListener.NONE);
        dispatcher.dispatch(rule, new RuleFiring("r", "d1", Map.of("deviceId", "d1"), 0));
        await().until(() -> !acks.topics().isEmpty());

        long id = log.runs(1).get(0).id();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> dispatcher.retry(id)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is still running");
        assertThat(dispatcher.retry(id + 1)).isEmpty();

        dispatcher.close(Duration.ofMillis(100));

        assertThat(log.runs(10)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(ActionRun.INTERRUPTED));
    }

    // ---------------------------------------------------------------- helpers

    private ActionRun runToEnd(List<ActionSpec> steps, Map<String, Object> fields) throws Exception {
        return runToEnd(ActionsConfig.defaults(), steps, fields);
    }

    private ActionRun runToEnd(ActionsConfig config, List<ActionSpec> steps, Map<String, Object> fields) throws Exception {
        return runToEnd(config, steps, fields, (topic, payload, qos, retain) ->
                published.add(topic + " " + new String(payload, StandardCharsets.UTF_8)), AckSource.NONE);
    }

    private ActionRun runToEnd(ActionsConfig config, List<ActionSpec> steps, Map<String, Object> fields,
                               CommandPublisher publisher, AckSource acks) {
        if (log == null) {
            log = ActionLog.open(dir);
        }
        WorkflowRunner runner = new WorkflowRunner(publisher, acks, emitted::add, config.execAllowlist(),
                config.workflows(), log, ActionListener.NONE);
        long id = log.start("test-rule", "k", fields, 0);
        runner.run(id, "test-rule", "k", fields, steps);
        return log.run(id).orElseThrow();
    }

    private static List<ActionSpec> actions(String... lines) throws ConfigException {
        return rule(lines).actions();
    }

    private static RuleDefinition rule(String... lines) throws ConfigException {
        String text = "name: r\nepl: select * from Reading\nactions:\n" + String.join("\n", lines) + "\n";
        return new RuleFileReader(new Placeholders(name -> name.equals("HOOK_TOKEN") ? SECRET : null))
                .parse(Path.of("test.yaml"), text);
    }

    private static RuleDefinition rule(List<ActionSpec> actions) {
        return new RuleDefinition("r", "", "select * from Reading", true, Duration.ZERO, "deviceId", actions,
                Path.of("r.yaml"), 1, 1, 0);
    }

    private Path script(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
