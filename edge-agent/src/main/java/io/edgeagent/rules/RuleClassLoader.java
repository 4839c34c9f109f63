package io.edgeagent.rules;

import com.espertech.esper.common.internal.context.util.ParentClassLoader;
import com.espertech.esper.runtime.client.DeploymentOptions;

/**
 * The loader above each deployed rule's classes: Esper's runtime loader, except that it answers at once that a
 * generated class it does not hold is not there.
 *
 * <p>Why: Esper defines a rule's generated classes in a loader of the deployment's own, which asks its parent for
 * every one of them first (about twenty per rule). By default that parent is Esper's runtime loader, which searched
 * every jar on the agent's class path for each and then threw two exceptions, each with a full stack trace: a
 * sizeable share of deploying 200 rules at start. Generated classes are only ever in the deployment's loader, or,
 * for the few Esper shares between deployments, in the runtime loader's own map, which this one still asks.
 */
final class RuleClassLoader extends ClassLoader {

    /** Esper's package for generated classes (its default). */
    static final String GENERATED_PACKAGE = "generated.";

    private final ParentClassLoader runtimeLoader;

    private RuleClassLoader(ParentClassLoader runtimeLoader) {
        super("edge-rule", runtimeLoader);
        this.runtimeLoader = runtimeLoader;
    }

    /** Deployment options that put this loader above the deployment's classes. */
    static DeploymentOptions deploymentOptions() {
        return new DeploymentOptions().setDeploymentClassLoaderOption(
                context -> new RuleClassLoader(context.getRuntimeParentClassLoader()));
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
