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
