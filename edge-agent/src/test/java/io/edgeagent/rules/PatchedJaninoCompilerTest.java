package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import java.lang.reflect.Field;
import java.util.Map;
import org.codehaus.janino.IClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The agent's copy of Esper's JaninoCompiler (IsolatedEplCompiler.PATCHED_CLASSES), run on this thread: here the
 * test's class path puts it before Esper's jar, as the agent's jar does.
 */
class PatchedJaninoCompilerTest {

    private static final String NESTED_JSON = "create json schema Inn(x int); create json schema Outr(items Inn[]); "
            + "select items from Outr";

    /** Each module's classes are new; the types a thread keeps across compiles must never hold on to them. */
    @Test
    void arraysOfAModulesOwnClasses_areNotKeptInTheTypesTheThreadShares() throws Exception {
        Configuration configuration = new Configuration();
        configuration.getCompiler().getByteCode().setThreadPoolCompilerNumThreads(0);
        for (int i = 0; i < 2; i++) {
            assertThat(EPCompilerProvider.getCompiler().compile(NESTED_JSON, new CompilerArguments(configuration))
                    .getClasses()).isNotEmpty();
        }

        Map<?, ?> arrays = (Map<?, ?>) field(IClassLoader.class, "arrayIClasses").get(sharedTypesOfThisThread());

        assertThat(arrays.keySet()).as("component types of the arrays the shared types made").isNotEmpty()
                .extracting(Object::toString).noneMatch(name -> name.startsWith("generated."));
    }

    /** Esper's includeDebugSymbols option (false by default) decides whether Janino writes its debug tables. */
    @Test
    void debugTables_areWrittenOnlyWhenEspersOptionAsksForThem() throws Exception {
        String epl = "select deviceId, value * 2 as twice from Reading(value > 8)";
        Configuration configuration = new Configuration();
        configuration.getCommon().addEventType("Reading", Map.of("deviceId", String.class, "value", Double.class));
        configuration.getCompiler().getByteCode().setThreadPoolCompilerNumThreads(0);
        Map<String, byte[]> plain = EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(configuration)).getClasses();
        configuration.getCompiler().getByteCode().setIncludeDebugSymbols(true);
        Map<String, byte[]> debug = EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(configuration)).getClasses();

        assertThat(plain.values()).isNotEmpty().noneMatch(bytes -> names(bytes, "LineNumberTable"));
        assertThat(debug.values()).anyMatch(bytes -> names(bytes, "LineNumberTable"));
    }

    /** Whether the class file's constant pool holds {@code text} (attribute names are UTF-8 constants there). */
    private static boolean names(byte[] classFile, String text) {
        return new String(classFile, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
    }

    private static Object sharedTypesOfThisThread() throws ReflectiveOperationException {
        Class<?> stable = Class.forName(
                "com.espertech.esper.compiler.internal.compiler.janino.JaninoCompiler$StableIClasses");
        Object current = ((ThreadLocal<?>) field(stable, "CURRENT").get(null)).get();
        assertThat(current).as("the agent's JaninoCompiler compiled on this thread").isNotNull();
        return field(stable, "iClassLoader").get(current);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
