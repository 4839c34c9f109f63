package io.edgeagent.rules;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Esper's own error logs of a failing rule: counted on the rule, and their stack trace printed once per rule.
 *
 * <p>Why a log filter: when a static method called from EPL throws ({@code Integer.parseInt(unit)} on "abc"),
 * Esper logs the exception with its stack trace, answers null and tells nobody else: the exception handler is not
 * called, so the rule's error count would stay 0 while the log fills with a 20-line trace per event. The trace
 * is logged on the thread that runs the rule's generated classes, whose loader names the rule
 * ({@link RuleClassLoader#ownerOnStack}), so the log record is counted on that rule. Errors Esper also hands to the
 * exception handler (a method on a value that throws) are counted there and only have their repeated traces removed
 * here.
 */
final class EsperErrorLog extends TurboFilter {

    /** The logger of Esper's static-method calls: the one error path that reaches no exception handler. */
    static final String STATIC_METHOD_LOGGER =
            "com.espertech.esper.common.internal.epl.expression.dot.core.ExprDotNodeForgeStaticMethodEval";
    private static final String ESPER = "com.espertech.esper";
    private static final EsperErrorLog INSTANCE = new EsperErrorLog();

    private final Set<RuleClassLoader.Owner> traced = ConcurrentHashMap.newKeySet();

    private EsperErrorLog() {
    }

    /** Adds the filter to Logback once; without Logback (another SLF4J binding) Esper's logs stay as they are. */
    static void install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context) {
            synchronized (INSTANCE) {
                if (!context.getTurboFilterList().contains(INSTANCE)) {
                    INSTANCE.start();
                    context.addTurboFilter(INSTANCE);
                }
            }
        }
    }

    /** A rule (re)deployed: its next error prints its stack trace again. */
    static void deployed(RuleClassLoader.Owner owner) {
        INSTANCE.traced.remove(owner);
    }

    static void forget(String runtimeUri) {
        INSTANCE.traced.removeIf(o -> o.runtimeUri().equals(runtimeUri));
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t == null || level == null || !level.isGreaterOrEqual(Level.ERROR) || !logger.getName().startsWith(ESPER)) {
            return FilterReply.NEUTRAL;
        }
        RuleClassLoader.Owner owner = RuleClassLoader.ownerOnStack();
        if (owner == null) {
            return FilterReply.NEUTRAL;
        }
        if (logger.getName().equals(STATIC_METHOD_LOGGER)) {
            RuntimeErrors.report(owner.runtimeUri(), owner.rule(), format == null ? RuntimeErrors.rootMessage(t) : format);
        }
        return traced.add(owner) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }
}
