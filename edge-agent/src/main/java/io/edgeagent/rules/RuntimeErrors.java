package io.edgeagent.rules;

import com.espertech.esper.common.client.hook.condition.ConditionHandler;
import com.espertech.esper.common.client.hook.condition.ConditionHandlerFactory;
import com.espertech.esper.common.client.hook.condition.ConditionHandlerFactoryContext;
import com.espertech.esper.common.client.hook.condition.ConditionMatchRecognizeStatesMax;
import com.espertech.esper.common.client.hook.condition.ConditionPatternRuntimeSubexpressionMax;
import com.espertech.esper.common.client.hook.exception.ExceptionHandler;
import com.espertech.esper.common.client.hook.exception.ExceptionHandlerFactory;
import com.espertech.esper.common.client.hook.exception.ExceptionHandlerFactoryContext;

/**
 * Routes errors that happen while Esper evaluates a rule to the engine that owns the runtime, which counts them on
 * the rule: exceptions Esper hands to its exception handler (this factory, which Esper instantiates by class name),
 * and failures our own EPL functions report through {@link #report} (Esper would otherwise log a stack trace per
 * event and carry on with null). Also the conditions Esper raises when a rule reaches one of its limits (pattern
 * sub-expressions, match-recognize states, {@link EsperConfiguration}): Esper refuses the new state and reports it
 * here, also by class name. Each handler finds its engine's {@link Sink} in the {@link RuntimeServices} of the runtime
 * it was made for.
 */
public final class RuntimeErrors implements ExceptionHandlerFactory, ConditionHandlerFactory {

    /** What an engine does with an error: {@code rule} may be null when only the deployment is known. */
    interface Sink {
        void ruleError(String rule, String deploymentId, String message);

        /** Esper refused new state of the rule deployed as {@code deploymentId} because a limit was reached. */
        void ruleLimit(String deploymentId, String limit);
    }

    /** A function called by rule {@code rule} (the statement's user object) of the runtime {@code runtimeUri} failed. */
    static void report(String runtimeUri, Object rule, String message) {
        report(RuntimeServices.of(runtimeUri), rule, message);
    }

    /** As {@link #report(String, Object, String)}, with the runtime's services already found (null: dropped). */
    static void report(RuntimeServices services, Object rule, String message) {
        if (services != null) {
            services.errors().ruleError(rule == null ? null : rule.toString(), null, message);
        }
    }

    private static Sink sinkOf(String runtimeUri) {
        RuntimeServices services = RuntimeServices.of(runtimeUri);
        return services == null ? null : services.errors();
    }

    @Override
    public ExceptionHandler getHandler(ExceptionHandlerFactoryContext context) {
        String uri = context.getRuntimeURI();
        return handlerContext -> {
            Sink sink = sinkOf(uri);
            if (sink != null) {
                sink.ruleError(null, handlerContext.getDeploymentId(), rootMessage(handlerContext.getThrowable()));
            }
        };
    }

    @Override
    public ConditionHandler getHandler(ConditionHandlerFactoryContext context) {
        String uri = context.getRuntimeURI();
        return handlerContext -> {
            Sink sink = sinkOf(uri);
            if (sink == null) {
                return;
            }
            String limit;
            if (handlerContext.getCondition() instanceof ConditionPatternRuntimeSubexpressionMax max) {
                limit = "pattern sub-expressions (" + max.getMax() + ")";
            } else if (handlerContext.getCondition() instanceof ConditionMatchRecognizeStatesMax max) {
                limit = "match-recognize states (" + max.getMax() + ")";
            } else {
                limit = handlerContext.getCondition().getClass().getSimpleName();
            }
            sink.ruleLimit(handlerContext.getDeploymentId(), limit);
        };
    }

    static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
