package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.EPCompiled;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rules compiled once and deployed from the data directory on the next start, without loading the compiler. */
@Timeout(60)
class RuleEngineCompiledCacheTest {

    @TempDir
    Path rulesDir;
    @TempDir
    Path cacheDir;

    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();

    private RuleEngine engine() {
        return new RuleEngine(Map.of(), true, (rule, firing) -> fired.add(firing), cacheDir);
    }

    private void writeRule(String name, int above) throws IOException {
        writeRule(name, "select deviceId, value from Reading(value > " + above + ")");
    }

    private void writeRule(String name, String epl) throws IOException {
        Files.writeString(rulesDir.resolve(name + ".yaml"), "name: " + name + "\nepl: " + epl + "\n");
    }

    private static void send(RuleEngine engine, double value) {
        engine.advanceTime(2_000);
        engine.send(new Reading("id-" + value, "dev-1", "temperature", value, "C", 2_000, 2_000, "t"));
    }

    private CompiledRuleCache cache() {
        return new CompiledRuleCache(cacheDir, RuleCompiler.COMPILED_DEPENDENCIES, EventTypes.none().fingerprint());
    }

    /** Puts {@code module} compiled into the cache under the key of {@code rule}'s shape, and returns that key. */
    private String plant(String rule, String module) throws EplCompilation.Failure {
        EPCompiled compiled;
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            compiled = compiler.compile(module, "planted", Map.of());
        }
        String key = cache().key(RuleShape.of(rule).text());
        cache().put(key, compiled);
        return key;
    }

    private long cachedFiles() throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.filter(f -> f.toString().endsWith(".epc")).count();
        }
    }

    @Test
    void secondStart_deploysFromTheCache_withoutLoadingTheCompiler() throws IOException {
        writeRule("hot", 30);
        writeRule("warm", 20);
        try (RuleEngine first = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), first)) {
            assertThat(rules.sync()).isEmpty();
            assertThat(first.compilerLoads()).isEqualTo(1);
        }
        // The two rules differ only in their threshold: one module serves both.
        assertThat(cachedFiles()).isEqualTo(1);

        try (RuleEngine second = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), second)) {
            assertThat(rules.sync()).isEmpty();
            send(second, 35);

            assertThat(second.compilerLoads()).isZero();
            assertThat(fired).extracting(RuleFiring::rule).containsExactlyInAnyOrder("hot", "warm");
        }
    }

    /** "-5 > value" as a shape is "-?:c0:int > value", which Esper refuses: the rule is kept as written. */
    @Test
    void ruleWhoseShapeEsperRefuses_isReadBackAsWritten_withoutLoadingTheCompiler() throws IOException {
        writeRule("cold", "select deviceId, value from Reading(-5 > value)");
        try (RuleEngine first = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), first)) {
            assertThat(rules.sync()).isEmpty();
        }

        try (RuleEngine second = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), second)) {
            assertThat(rules.sync()).isEmpty();
            send(second, -7);

            assertThat(second.compilerLoads()).isZero();
            assertThat(fired).extracting(RuleFiring::rule).containsExactly("cold");
        }
        assertThat(cachedFiles()).isEqualTo(1);
    }

    /**
     * Esper checks some values only when it deploys. A shared module that does not deploy with a rule's values (here
     * one planted in the cache, whose parameter the rule has no value for) leaves the rule compiled as written.
     */
    @Test
    void sharedModuleThatDoesNotDeployWithTheRulesValues_isReplacedByTheRuleAsWritten() throws Exception {
        plant("select deviceId, value from Reading(value > 30)",
                "select deviceId, value from Reading(deviceId = ?:c9:string)");
        writeRule("hot", 30);

        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            assertThat(rules.sync()).isEmpty();
            send(engine, 35);

            assertThat(fired).extracting(RuleFiring::rule).containsExactly("hot");
            assertThat(engine.compilerLoads()).isEqualTo(1);
        }
    }

    /**
     * Whether a module deploys can depend on the values: here a planted module uses its parameter as a window length,
     * which Esper checks when it deploys. The rule whose value it refuses is compiled as written; the others keep
     * the shared module, which stays in the cache, so the next start compiles nothing.
     */
    @Test
    void moduleRefusingOneRulesValues_leavesTheOtherRulesOnIt_andInTheCache() throws Exception {
        String shape = plant("select deviceId, value from Reading(value > 30)",
                "select deviceId, value from Reading(value > 0)#length(?:c0:int)");
        writeRule("hot", 30);
        writeRule("zero", 0);

        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            assertThat(rules.sync()).isEmpty();
            engine.pruneCompiled();
        }
        assertThat(cache().contains(shape)).as("the module rule hot runs on").isTrue();

        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            assertThat(rules.sync()).isEmpty();
            send(engine, 35);

            assertThat(engine.compilerLoads()).isZero();
            assertThat(fired).extracting(RuleFiring::rule).contains("hot", "zero");
        }
    }

    @Test
    void changedThreshold_takesEffect_andLeavesOneEntry() throws IOException {
        writeRule("hot", 30);
        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            rules.sync();
            writeRule("hot", 40);
            assertThat(rules.sync()).isEmpty();
            send(engine, 35);

            assertThat(fired).isEmpty();
            assertThat(cachedFiles()).isEqualTo(1);
        }
    }

    @Test
    void removedRule_hasItsEntryRemoved() throws IOException {
        writeRule("hot", 30);
        writeRule("cold", "select deviceId from Reading(value < 20)");
        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            rules.sync();
            assertThat(cachedFiles()).isEqualTo(2);
            Files.delete(rulesDir.resolve("cold.yaml"));
            rules.sync();

            assertThat(cachedFiles()).isEqualTo(1);
        }
    }

    @Test
    void corruptEntry_isCompiledAgain_andTheRuleRuns() throws IOException, ConfigException {
        writeRule("hot", 30);
        RuleDefinition rule = RuleFileReader.fromSystem().parse(rulesDir.resolve("hot.yaml"),
                Files.readString(rulesDir.resolve("hot.yaml")));
        try (RuleEngine engine = engine()) {
            engine.compile(rule);
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            for (Path file : files.toList()) {
                Files.write(file, new byte[] {1, 2, 3});
            }
        }

        try (RuleEngine engine = engine()) {
            engine.deploy(rule);
            send(engine, 35);

            assertThat(engine.compilerLoads()).isEqualTo(1);
            assertThat(fired).extracting(RuleFiring::rule).containsExactly("hot");
        }
    }

    @Test
    void badRule_isReportedWithItsFile_andNothingIsCached() throws IOException {
        Files.writeString(rulesDir.resolve("bad.yaml"), "name: bad\nepl: select nosuch from Reading\n");
        writeRule("hot", 30);
        try (RuleEngine engine = engine(); RuleDirectory rules = new RuleDirectory(rulesDir, RuleFileReader.fromSystem(), engine)) {
            assertThat(rules.sync()).singleElement()
                    .satisfies(p -> assertThat(p.describe()).contains("bad.yaml").contains("nosuch"));
            assertThat(cachedFiles()).isEqualTo(1);
        }
    }
}
