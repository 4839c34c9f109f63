package io.edgeagent.rules;

import com.espertech.esper.common.internal.context.util.ParentClassLoader;
import com.espertech.esper.runtime.client.DeploymentOptions;
import java.util.Map;
import java.util.Objects;

/**
 * The loader above each deployed rule's classes: Esper's runtime loader, except that it answers at once that a
 * generated class it does not hold is not there.
 *
 * <p>Why: Esper defines a rule's generated classes in a loader of the deployment's own, which asks its parent for
 * every one of them first (about twenty per rule). By default that parent is Esper's runtime loader, which searched
 * every jar on the agent's class path for each and then threw two exceptions, each with a full stack trace: a
 * sizeable share of deploying 200 rules at start. Generated classes are only ever in the deployment's loader, or,
 * for the few Esper shares between deployments, in the runtime loader's own map, which this one still asks.
 *
 * <p>It also says which rule a generated class belongs to ({@link #ownerOnStack}). Rules of the same shape share one
 * compiled module ({@link RuleShape}), so their classes have the same names; only their loaders tell them apart.
 */
final class RuleClassLoader extends ClassLoader {

    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Esper's package for generated classes (its default). */
    static final String GENERATED_PACKAGE = "generated.";

    /** A deployed rule: its engine's runtime URI and its name. */
    record Owner(String runtimeUri, String rule) {
    }

    private final ParentClassLoader runtimeLoader;
    private final Owner owner;

    private RuleClassLoader(ParentClassLoader runtimeLoader, Owner owner) {
        super("edge-rule", runtimeLoader);
        this.runtimeLoader = runtimeLoader;
        this.owner = owner;
    }

    /**
     * Deployment options that put this loader above the deployment's classes and give the module's substitution
     * parameters their values.
     */
    static DeploymentOptions deploymentOptions(Owner owner, Map<String, Object> parameters) {
        DeploymentOptions options = new DeploymentOptions()
                .setDeploymentClassLoaderOption(context -> new RuleClassLoader(context.getRuntimeParentClassLoader(), owner));
        if (!parameters.isEmpty()) {
            // Called for each statement of the module, with the names of its own parameters (null when it has none).
            options.setStatementSubstitutionParameter(context -> {
                if (context.getSubstitutionParameterNames() != null) {
                    context.getSubstitutionParameterNames().keySet().stream().filter(parameters::containsKey)
                            .forEach(name -> context.setObject(name, parameters.get(name)));
                }
            });
        }
        return options;
    }

    /**
     * The rule whose generated code called the current thread's caller, or null outside rules. Walks the stack:
     * for error paths only.
     */
    static Owner ownerOnStack() {
        return STACK.walk(frames -> frames.map(f -> ownerOf(f.getDeclaringClass().getClassLoader()))
                .filter(Objects::nonNull).findFirst().orElse(null));
    }

    private static Owner ownerOf(ClassLoader loader) {
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof RuleClassLoader rule) {
                return rule.owner;
            }
        }
        return null;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(GENERATED_PACKAGE) && !runtimeLoader.getClasses().containsKey(name)) {
            throw new NotHere(name);
        }
        return super.loadClass(name, resolve);
    }

    /** Thrown and caught inside the class loading of every deploy; a stack trace would be its whole cost. */
    private static final class NotHere extends ClassNotFoundException {
        private static final long serialVersionUID = 1L;

        NotHere(String name) {
            super(name);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
