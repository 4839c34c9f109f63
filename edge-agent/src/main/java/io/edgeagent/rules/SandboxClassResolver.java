package io.edgeagent.rules;

import com.espertech.esper.common.client.util.ClassForNameProvider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The second layer of the rules sandbox: every class name Esper's compiler resolves (a class named in EPL, with or
 * without its package, {@code cast}, {@code instanceof}, {@code new}, {@code create schema ... as}, the
 * plug-in functions and event types) goes through this allow-list. Any other class is "not found", so EPL cannot
 * call a static method, read a static field or create an object of it; a class refused here is never loaded,
 * so not even its static initializer runs. One instance per compile: it remembers what it refused, for the error
 * message. Defined in the compiler's class loader ({@link IsolatedEplCompiler#ISOLATED_CLASSES}).
 */
public final class SandboxClassResolver implements ClassForNameProvider {

    /** What EPL may name: pure functions of their arguments, and the agent's functions and event types. */
    static final Set<String> ALLOWED = Set.of("java.lang.Math", "java.lang.StrictMath", "java.lang.String",
            "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Short",
            "java.lang.Byte", "java.lang.Boolean", "java.lang.Character", "java.lang.Number", "java.lang.Object",
            "java.math.BigDecimal", "java.math.BigInteger", "java.math.RoundingMode",
            "io.edgeagent.rules.FenceFunctions", "io.edgeagent.event.Reading", "io.edgeagent.event.Location",
            "io.edgeagent.event.Event", "io.edgeagent.event.DeclaredEvent");

    private final ClassLoader loader;
    private final Set<String> refused = new LinkedHashSet<>();

    public SandboxClassResolver(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Class<?> classForName(String className) throws ClassNotFoundException {
        String element = className.replace("[]", "");
        if (!ALLOWED.contains(element)) {
            // Esper probes names against its imports ("java.util.Foo" for a stream named Foo): only names that are
            // real classes count as refusals worth reporting.
            if (loader.getResource(element.replace('.', '/') + ".class") != null) {
                synchronized (refused) {
                    refused.add(element);
                }
            }
            throw new ClassNotFoundException(className + " is not available to rules (sandbox)");
        }
        return Class.forName(className, true, loader);
    }

    /** Existing classes that the compile asked for and did not get, in the order asked. */
    public List<String> refused() {
        synchronized (refused) {
            return new ArrayList<>(refused);
        }
    }
}
