package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.espertech.esper.common.client.EPCompiled;
import io.edgeagent.event.Reading;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IsolatedEplCompilerTest {

    private static final String FENCE_RULE = "select deviceId from Location(fence('depot', lat, lon) = 'outside')";

    @Test
    void compile_ruleUsingAgentFunctions_returnsByteCodeOfTheAgentsEsper() throws Exception {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            EPCompiled compiled = compiler.compile(FENCE_RULE, "fence-rule", Map.of());

            assertThat(compiled.getClasses()).isNotEmpty();
            assertThat(compiled.getManifest().getModuleProviderClassName()).isNotBlank();
            assertThat(compiler.loaded()).isTrue();
        }
    }

    /** Esper's default starts an unnamed 8-thread pool per compile of a rule with several statements. */
    @Test
    void configuration_compilesOnTheCallersThread_notInAPoolOfEspersOwn() {
        assertThat(EsperConfiguration.create(false, Map.of()).getCompiler().getByteCode()
                .getThreadPoolCompilerNumThreads()).isZero();
    }

    @Test
    void compilerLoader_answersNamesItCannotHoldAtOnce_andRemembersAMissingName() throws Exception {
        try (IsolatedEplCompiler.CompilerLoader loader = IsolatedEplCompiler.newLoader()) {
            String missing = "com.espertech.esper.common.client.NoSuchClass";
            for (String name : List.of("generated.StatementProvider_0_stmt1", "NoPackage", missing, missing)) {
                assertThatThrownBy(() -> loader.loadClass(name)).isInstanceOf(ClassNotFoundException.class);
            }

            assertThat(loader.knownMissing(missing)).isTrue();
            assertThat(loader.knownMissing("generated.StatementProvider_0_stmt1")).as("never searched").isFalse();
            assertThat(loader.loadClass("com.espertech.esper.compiler.client.EPCompilerProvider").getClassLoader())
                    .as("the compiler's packages from its own loader").isSameAs(loader);
            assertThat(loader.loadClass("io.edgeagent.event.Reading").getClassLoader())
                    .as("the agent's classes from the agent's loader").isSameAs(Reading.class.getClassLoader());
        }
    }

    /** Janino's jar is signed; classes with signers stay out of the start-up class archive (CompilerClassFiles). */
    @Test
    void compilerLoader_definesClassesOfASignedJar_withTheirJarButWithoutSigners() throws Exception {
        try (IsolatedEplCompiler.CompilerLoader loader = IsolatedEplCompiler.newLoader()) {
            Class<?> parser = loader.loadClass("org.codehaus.janino.Parser");

            assertThat(parser.getClassLoader()).isSameAs(loader);
            assertThat(parser.getSigners()).isNull();
            assertThat(parser.getProtectionDomain().getCodeSource().getLocation().getPath()).contains("janino");
            assertThat(org.codehaus.janino.Parser.class.getSigners()).as("the same class from the jar itself")
                    .isNotEmpty();
        }
    }

    /** The agent's changed copies of Esper classes (docs/performance.md), not Esper's, are what the compiler runs. */
    @Test
    void compilerLoader_definesTheAgentsCopiesOfPatchedEsperClasses() throws Exception {
        try (IsolatedEplCompiler.CompilerLoader loader = IsolatedEplCompiler.newLoader()) {
            for (String name : IsolatedEplCompiler.PATCHED_CLASSES) {
                assertThat(loader.loadClass(name).getClassLoader()).as(name).isSameAs(loader);
            }
            Class<?> janino = loader.loadClass(
                    "com.espertech.esper.compiler.internal.compiler.janino.JaninoCompiler$ModuleIClassLoader");
            assertThat(janino.getClassLoader()).as("a class only the agent's copy has").isSameAs(loader);
            Class<?> codegen = loader.loadClass("com.espertech.esper.common.internal.bytecodemodel.base.CodegenMethod");
            assertThat(codegen.getDeclaredMethod("getStackString", StackWalker.StackFrame.class))
                    .as("the agent's getGeneratorDetail").isNotNull();
        }
    }

    /**
     * Janino resolves the compiler's types once per thread in the agent's copy of Esper's JaninoCompiler: rules that
     * need the same types, arrays of them and classes generated for the same module still compile.
     */
    @Test
    void compile_manyRulesOnTheSameThreads_allCompile() throws Exception {
        List<String> epl = List.of(
                "select deviceId, avg(value) as average from Reading#groupwin(deviceId)#length(5) group by deviceId",
                "select * from pattern [every a=Reading -> b=Reading(deviceId = a.deviceId and value > a.value + 5)]",
                "select * from Reading match_recognize (partition by deviceId measures A.value as a, B.value as b "
                        + "pattern (A B) define B as B.value > A.value)",
                "select window(*) from Reading#keepall where value > 100",
                // Arrays of the module's own classes: made per module, never in the thread's shared types.
                "create json schema Inn(x int); create json schema Outr(items Inn[]); select items from Outr",
                FENCE_RULE);
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < epl.size(); i++) {
                    assertThat(compiler.compile(epl.get(i), "rule-" + round + "-" + i, Map.of()).getClasses())
                            .as(epl.get(i)).isNotEmpty();
                }
            }
        }
    }

    @Test
    void compile_syntaxError_reportsTheLineInsideTheEpl() {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            assertThatThrownBy(() -> compiler.compile("select *\nfrm Reading", "broken", Map.of()))
                    .isInstanceOfSatisfying(EplCompilation.Failure.class, failure -> {
                        assertThat(failure.items()).hasSize(1);
                        assertThat(failure.items().get(0).message()).contains("Incorrect syntax");
                    });
        }
    }

    @Test
    void releaseNow_afterCompiles_letsTheJvmUnloadTheCompiler() throws Exception {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            compiler.compile(FENCE_RULE, "fence-rule", Map.of());
            compiler.compile("select avg(value) from Reading#time(30 sec) group by deviceId", "average", Map.of());

            WeakReference<ClassLoader> loader = compiler.releaseNow();

            assertThat(compiler.loaded()).isFalse();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return loader.get() == null;
            });
        }
    }

    @Test
    void compile_afterRelease_loadsTheCompilerAgain() throws Exception {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            compiler.compile(FENCE_RULE, "a", Map.of());
            compiler.releaseNow();

            compiler.compile(FENCE_RULE, "b", Map.of());

            assertThat(compiler.loads()).isEqualTo(2);
        }
    }

    @Test
    void compile_idleForTheReleaseDelay_releasesByItself() throws Exception {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler(Duration.ofMillis(100))) {
            compiler.compile(FENCE_RULE, "a", Map.of());

            await().atMost(Duration.ofSeconds(10)).until(() -> !compiler.loaded());
        }
    }
}
