package io.edgeagent.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.Event;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.rules.RuleCompiler;
import io.edgeagent.rules.RuleDirectory;
import io.edgeagent.rules.RuleReplay;
import io.edgeagent.simulator.MessageKind;
import io.edgeagent.simulator.PayloadFormat;
import io.edgeagent.simulator.PlannedMessage;
import io.edgeagent.simulator.Simulator;
import io.edgeagent.simulator.SimulatorOptions;
import io.edgeagent.simulator.scenario.ExpectedDetection;
import io.edgeagent.simulator.scenario.Scenario;
import io.edgeagent.simulator.scenario.Scenarios;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in simulator scenario doubles as a test fixture of the agent: its exact seeded messages, in every payload
 * format, are decoded by the agent's own input mappings from config.yaml and replayed through the example rules on
 * event time. The rules must make every detection the scenario expects, in time, and none it says must not happen;
 * exactly the scenario's malformed messages must fail to decode; duplicates must carry the same event ids (except
 * in the raw format, whose payloads carry no timestamp; see EventIds).
 */
@Execution(ExecutionMode.CONCURRENT)
class ScenarioDetectionsTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * The example rules are compiled once, into a cache directory that every case deploys from: compiling (loading
     * Esper's compiler, then nine rules) was nearly all of each case's time, and what the cases prove is what the
     * rules detect, not that they compile (RuleSandboxTest and RepositoryFilesTest compile them).
     */
    @TempDir
    static Path compiledRules;
    private static AgentConfig config;
    private static List<RuleDefinition> rules;
    private static RuleCompiler compiler;

    @BeforeAll
    static void compileExampleRules() throws Exception {
        config = ConfigLoader.fromSystem().load(TestConfigs.repositoryRoot().resolve("config.yaml"));
        List<RuleDefinition> read = new ArrayList<>();
        for (Path file : RuleDirectory.ruleFiles(TestConfigs.rulesDirectory())) {
            read.add(RuleFileReader.fromSystem().read(file));
        }
        rules = List.copyOf(read);
        compiler = new RuleCompiler(config.geofences().keySet(), EventTypes.none(), compiledRules);
        RuleCompiler.Ahead ahead = compiler.precompile(rules);
        try {
            for (RuleDefinition rule : rules) {
                compiler.compile(rule);
            }
        } finally {
            ahead.close();
        }
    }

    @AfterAll
    static void closeCompiler() {
        compiler.close();
    }

    static Stream<Arguments> scenariosAndFormats() {
        List<Arguments> cases = new ArrayList<>();
        for (String scenario : Scenarios.builtIn()) {
            for (PayloadFormat format : PayloadFormat.values()) {
                for (long seed : new long[] {1, 42}) {
                    cases.add(Arguments.of(scenario, format, seed));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}, seed {2}")
    @MethodSource("scenariosAndFormats")
    void scenario_replayedThroughAgentDecodingAndExampleRules_makesExactlyTheExpectedDetections(
            String name, PayloadFormat format, long seed) throws Exception {
        Scenario scenario = Scenarios.load(name);
        List<PlannedMessage> plan = Simulator.plan(SimulatorOptions.builder().broker("tcp://127.0.0.1:1").scenario(name)
                .format(format).seed(seed).startTime(START).build());
        MessageDecoder decoder = new MessageDecoder(config.inputs());

        List<Event> events = new ArrayList<>();
        int undecodable = 0;
        List<String> duplicateIds = new ArrayList<>();
        for (PlannedMessage message : plan) {
            long received = START.toEpochMilli() + message.offset().toMillis();
            try {
                List<Event> decoded = decoder.decode(message.topic(), message.payload(), received);
                events.addAll(decoded);
                if (message.kind() == MessageKind.DUPLICATE) {
                    decoded.forEach(e -> duplicateIds.add(e.id()));
                }
            } catch (DecodeException e) {
                assertThat(message.kind()).as("only malformed messages fail to decode: %s", e.getMessage())
                        .isEqualTo(MessageKind.MALFORMED);
                undecodable++;
            }
        }
        assertThat(undecodable).as("dead letters").isEqualTo(scenario.expect().malformed());
        Set<String> ids = new HashSet<>();
        events.forEach(e -> ids.add(e.id()));
        if (format == PayloadFormat.RAW) {
            // A bare number carries no timestamp: identical bytes may be two real readings, so ids never repeat.
            assertThat(ids).as("raw payloads get unique ids").hasSize(events.size());
        } else {
            assertThat(ids).as("a duplicated message repeats its events' ids").containsAll(duplicateIds);
            assertThat(events.size() - ids.size()).as("duplicate event ids").isEqualTo(duplicateIds.size());
        }

        List<RuleFiring> fired = RuleReplay.replay(compiler, rules, config.geofences(), events, Duration.ofSeconds(1))
                .stream()
                .map(RuleReplay.Fired::firing).toList();

        for (ExpectedDetection expected : scenario.expect().detections()) {
            assertThat(fired).as("%s for %s within %s; fired: %s", expected.rule(), expected.device(), expected.within(), fired)
                    .anySatisfy(f -> {
                        assertThat(f.rule()).isEqualTo(expected.rule());
                        assertThat(f.key()).isEqualTo(expected.device());
                        if (expected.within() != null) {
                            assertThat(f.firedAt() - START.toEpochMilli()).isLessThanOrEqualTo(expected.within().toMillis());
                        }
                    });
        }
        for (ExpectedDetection absent : scenario.expect().absent()) {
            assertThat(fired).as("%s must not fire for %s", absent.rule(), absent.device())
                    .noneMatch(f -> f.rule().equals(absent.rule()) && f.key().equals(absent.device()));
        }
    }
}
