package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.espertech.esper.common.client.EPCompiled;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules compiled ahead of their deploy ({@link RuleCompiler#precompile}): each deploy takes its rule's result as it is
 * ready, the result, a problem included, is what compiling the rule on its own gives, and no rule is compiled twice.
 */
@Timeout(120)
class RuleCompilerAheadTest {

    @TempDir
    Path rulesDir;
    @TempDir
    Path cacheDir;

    private RuleDefinition rule(String name, String epl) throws IOException, ConfigException {
        Path file = rulesDir.resolve(name + ".yaml");
        Files.writeString(file, "name: " + name + "\nepl: |\n  " + epl + "\n");
        return RuleFileReader.fromSystem().read(file);
    }

    private List<RuleDefinition> rules() throws IOException, ConfigException {
        List<RuleDefinition> rules = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rules.add(rule("hot-" + i, "select deviceId, value from Reading(value > " + (30 + i) + ")"));
        }
        rules.add(rule("broken", "select deviceId, from Reading"));
        rules.add(rule("outside", "select deviceId, fence('nowhere', lat, lon) as f from Location"));
        return rules;
    }

    /** What compiling each rule gives: its statement names, or its problems. */
    private static List<String> outcomes(RuleCompiler compiler, List<RuleDefinition> rules) {
        List<String> outcomes = new ArrayList<>();
        for (RuleDefinition rule : rules) {
            try {
                EPCompiled compiled = compiler.compile(rule).module();
                outcomes.add(rule.name() + " compiled " + compiled.getClasses().size() + " classes");
            } catch (ConfigException e) {
                outcomes.add(rule.name() + " rejected " + e.problems().stream().map(Problem::describe).toList());
            }
        }
        return outcomes;
    }

    @Test
    void compiledAhead_givesWhatCompilingEachAloneGives_problemsIncluded() throws Exception {
        List<RuleDefinition> rules = rules();
        List<String> alone;
        try (RuleCompiler compiler = new RuleCompiler(Set.of(), EventTypes.none(), null)) {
            alone = outcomes(compiler, rules);
            // Without a cache directory too, one shape is one compile.
            assertThat(compiler.compiles()).isEqualTo(2);
        }

        List<String> ahead;
        long compiles;
        try (RuleCompiler compiler = new RuleCompiler(Set.of(), EventTypes.none(), cacheDir)) {
            RuleCompiler.Ahead batch = compiler.precompile(rules);
            try {
                batch.awaitCompiled(rules.get(0));
                assertThat(compiler.compiles()).as("compiled ahead, before any deploy asked").isPositive();
                ahead = outcomes(compiler, rules);
            } finally {
                batch.close();
            }
            compiles = compiler.compiles();
        }

        assertThat(ahead).isEqualTo(alone);
        // The six good rules differ only in their threshold: their shape reaches Esper once, ahead, and so does the
        // broken rule; the unknown fence never does.
        assertThat(compiles).isEqualTo(2);
        assertThat(ahead).filteredOn(o -> o.contains(" rejected ")).hasSize(2)
                .anySatisfy(o -> assertThat(o).startsWith("broken rejected").contains("broken.yaml"))
                .anySatisfy(o -> assertThat(o).startsWith("outside rejected").contains("unknown geofence"));
    }

    @Test
    void closedBeforeItsRulesWereTaken_stillCompilesThemOnDemand() throws Exception {
        List<RuleDefinition> rules = rules();
        try (RuleCompiler compiler = new RuleCompiler(Set.of(), EventTypes.none(), null)) {
            compiler.precompile(rules).close();

            assertThat(compiler.compile(rules.get(0)).module().getClasses()).isNotEmpty();
            ConfigException broken = catchThrowableOfType(ConfigException.class, () -> compiler.compile(rules.get(6)));
            assertThat(broken.problems()).singleElement().extracting(Problem::describe).asString().contains("broken.yaml");
        }
    }
}
