package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.event.RuleFiring;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules sandbox: every route out of EPL that the issue lists is refused by the check behind {@code rules
 * validate}, {@code rules test} and {@code rules add} (all three compile through {@link RuleEngine#compile}), with
 * the rule file, line and the column of the offending name; the documented functions still work.
 */
class RuleSandboxTest {

    private static final Path FILE = Path.of("rules/sandbox.yaml");
    private final List<RuleFiring> fired = new CopyOnWriteArrayList<>();
    private final RuleEngine engine = new RuleEngine(
            Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0)), true, (r, f) -> fired.add(f));

    @AfterEach
    void close() {
        engine.close();
    }

    /** EPL, the text the error must point at, and a fragment of the message. */
    static Stream<Arguments> forbiddenRoutes() {
        return Stream.of(
                Arguments.of("select java.lang.Runtime.getRuntime().exec('touch /tmp/pwned') as p from Reading(type='rce')",
                        "getRuntime", "not allowed"),
                Arguments.of("select java.lang.Runtime.version() as p from Reading", "java.lang.Runtime",
                        "class java.lang.Runtime is not available"),
                Arguments.of("select Runtime.version() as p from Reading", "Runtime",
                        "class java.lang.Runtime is not available"),
                Arguments.of("select java.lang.System.getenv('HOME') as p from Reading", "java.lang.System",
                        "class java.lang.System is not available"),
                Arguments.of("select new java.lang.ProcessBuilder() as p from Reading", "java.lang.ProcessBuilder",
                        "class java.lang.ProcessBuilder is not available"),
                Arguments.of("select java.lang.Thread.currentThread() as p from Reading", "java.lang.Thread",
                        "class java.lang.Thread is not available"),
                Arguments.of("select java.lang.Class.forName('java.lang.Runtime') as p from Reading", "forName",
                        "calling forName(..) is not allowed"),
                Arguments.of("select java.io.File.createTempFile('a', 'b') as p from Reading", "java.io.File",
                        "class java.io.File is not available"),
                Arguments.of("select java.nio.file.Paths.get('/etc') as p from Reading", "java.nio.file.Paths",
                        "class java.nio.file.Paths is not available"),
                Arguments.of("select java.net.InetAddress.getLoopbackAddress() as p from Reading",
                        "java.net.InetAddress", "class java.net.InetAddress is not available"),
                Arguments.of("select org.h2.tools.Server.createTcpServer(null) as p from Reading",
                        "org.h2.tools.Server", "class org.h2.tools.Server is not available"),
                Arguments.of("select io.edgeagent.bootstrap.JvmSettings.measureThreadCpuTime(true) as p from Reading",
                        "io.edgeagent.bootstrap.JvmSettings", "class io.edgeagent.bootstrap.JvmSettings is not available"),
                Arguments.of("select com.fasterxml.jackson.databind.json.JsonMapper.builder() as p from Reading",
                        "com.fasterxml.jackson.databind.json.JsonMapper", "is not available"),
                Arguments.of("select deviceId.getClass().getClassLoader() as p from Reading", "getClass",
                        "calling getClass(..) is not allowed"),
                Arguments.of("select deviceId.getClass().forName('java.lang.Runtime') as p from Reading", "getClass",
                        "calling getClass(..) is not allowed"),
                Arguments.of("select deviceId.`getClass`().getName() as p from Reading", "getClass",
                        "calling getClass(..) is not allowed"),
                Arguments.of("select Integer.TYPE as p from Reading", "TYPE", ".TYPE is not allowed"),
                Arguments.of("inlined_class \"\"\"\n    public class X { public static int f() { return 1; } }\n  \"\"\"\n"
                        + "  select X.f() as p from Reading", "inlined_class", "inlined Java classes"),
                Arguments.of("create inlined_class \"\"\"\n    public class Y { public static int f() { return 1; } }\n"
                        + "  \"\"\"", "inlined_class", "inlined Java classes"),
                Arguments.of("expression double js:twice(x) [ x * 2 ]\n  select twice(value) as p from Reading",
                        "expression", "scripts"),
                Arguments.of("import java.io.*;\n  select deviceId from Reading", "import", "import is not allowed"));
    }

    @ParameterizedTest
    @MethodSource("forbiddenRoutes")
    void compile_forbiddenRoute_isRefusedWithFileLineAndColumn(String epl, String at, String message) throws Exception {
        String yaml = "name: sandbox\nepl: |\n  " + epl + "\n";
        RuleDefinition rule = RuleFileReader.fromSystem().parse(FILE, yaml);
        // Where the name is in the file: the EPL block starts on line 3, indented by two.
        String[] lines = yaml.split("\n", -1);
        int line = 0;
        while (!lines[line].contains(at)) {
            line++;
        }
        String expected = FILE + ":" + (line + 1) + ": epl: column " + (lines[line].indexOf(at) + 1) + ": ";

        assertThatThrownBy(() -> engine.compile(rule)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected).hasMessageContaining(message);
    }

    @Test
    void deploy_documentedFunctionsMathAndValueMethods_stillWork() throws Exception {
        engine.deploy(RuleFileReader.fromSystem().parse(FILE, "name: allowed\nepl: |\n"
                + "  select deviceId.toUpperCase() as device, Math.max(value, 0) as v, StrictMath.sqrt(value) as r,\n"
                + "         Integer.parseInt(unit) as n, String.valueOf(value) as text\n"
                + "  from Reading(type = 'temperature')\n"));
        engine.deploy(RuleFileReader.fromSystem().parse(Path.of("rules/geo.yaml"), "name: geo\nepl: |\n"
                + "  select deviceId, distance(lat, lon, 52.52, 13.405) as d, fence('depot', lat, lon) as side,\n"
                + "         insideFence('depot', lat, lon) as inside, fenceDistance('depot', lat, lon) as edge\n"
                + "  from Location\n"));

        engine.send(new Reading("r1", "probe-1", "temperature", 16.0, "7", 1000, 1000, "t"));
        engine.send(new Location("l1", "truck-1", 52.52, 13.405, 5.0, 1.0, 0.0, 1000, 1000, "t"));

        assertThat(fired).hasSize(2);
        assertThat(fired.get(0).fields()).containsEntry("device", "PROBE-1").containsEntry("r", 4.0)
                .containsEntry("n", 7).containsEntry("text", "16.0");
        assertThat(fired.get(1).fields()).containsEntry("side", "inside").containsEntry("inside", true);
    }

    @Test
    void compile_keepallJoinWithoutOptIn_isRefusedAndNamesTheKey_withOptIn_isDeployed() throws Exception {
        String select = "  select a.deviceId as deviceId from Reading#keepall as a, Location#keepall as b";
        String epl = "epl: |\n" + select + "\n  where a.deviceId = b.deviceId\n";
        RuleDefinition without = RuleFileReader.fromSystem().parse(FILE, "name: join\n" + epl);

        assertThatThrownBy(() -> engine.compile(without)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ":3: epl: column " + (select.indexOf("#keepall") + 1) + ": #keepall keeps every")
                .hasMessageContaining("add 'unboundedState: true' to the rule file");

        engine.deploy(RuleFileReader.fromSystem().parse(FILE, "name: join\nunboundedState: true\n" + epl));
        assertThat(engine.status()).extracting(RuleStatus::name, RuleStatus::enabled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("join", true));
    }

    @Test
    void compiledCodeCheck_classCallingRuntime_isRefused() throws IOException {
        assertThat(CompiledCodeCheck.violations(Map.of("Escape", classFile(Escape.class))))
                .extracting(ClassFileReferences.Reference::display)
                .contains("java.lang.Runtime.getRuntime", "java.lang.Runtime.exec", "java.lang.Class.forName");
    }

    /** A denied type's nested types are denied with it; a type whose name merely starts with it is not. */
    @Test
    void compiledCodeCheck_nestedTypeOfADeniedOwner_isRefused_aLongerNameIsNot() throws IOException {
        assertThat(CompiledCodeCheck.violations(Map.of("Nested", classFile(Nested.class))))
                .extracting(ClassFileReferences.Reference::display)
                .contains("java.lang.Thread$State.NEW")
                .noneMatch(display -> display.startsWith("java.lang.ThreadDeath"));
    }

    @Test
    void compiledCodeCheck_exampleRules_areClean() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = java.nio.file.Files.list(TestConfigs.rulesDirectory())) {
            files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path file : files) {
            RuleDefinition rule = RuleFileReader.fromSystem().read(file);
            assertThat(CompiledCodeCheck.violations(engine.compile(rule).module().getClasses())).as(file.toString()).isEmpty();
        }
    }

    @Test
    void compile_cachedModuleThatCallsRuntime_isRefusedWhenReadBack(@org.junit.jupiter.api.io.TempDir Path cacheDir)
            throws Exception {
        RuleDefinition rule = RuleFileReader.fromSystem().parse(FILE,
                "name: cached\nepl: select deviceId from Reading(value > 8)\n");
        com.espertech.esper.common.client.EPCompiled clean = engine.compile(rule).module();
        Map<String, byte[]> classes = new java.util.HashMap<>(clean.getClasses());
        classes.put("generated.Escape", classFile(Escape.class));
        // A module planted in (or left from before the sandbox in) the compiled-rule cache under the rule's shape.
        CompiledRuleCache cache = new CompiledRuleCache(cacheDir, RuleCompiler.COMPILED_DEPENDENCIES,
                io.edgeagent.config.EventTypes.none().fingerprint());
        cache.put(cache.key(RuleShape.of(rule.epl()).text()),
                new com.espertech.esper.common.client.EPCompiled(classes, clean.getManifest()));

        try (RuleEngine cached = new RuleEngine(Map.of(), true, (r, f) -> { }, cacheDir)) {
            assertThatThrownBy(() -> cached.compile(rule)).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("uses java.lang.Runtime.getRuntime, which rules may not");
            assertThat(cached.compilerLoads()).isZero();
        }
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            return in.readAllBytes();
        }
    }

    /** Byte code that does what the sandbox must refuse; never run. */
    static final class Escape {
        static Object run() throws Exception {
            Class.forName("java.lang.Object");
            return Runtime.getRuntime().exec(new String[] {"true"});
        }
    }

    /** Byte code naming a type nested in a denied one, and one whose name only starts like a denied one; never run. */
    static final class Nested {
        static Object run() {
            return new Object[] {Thread.State.NEW, new ThreadDeath()};
        }
    }
}
