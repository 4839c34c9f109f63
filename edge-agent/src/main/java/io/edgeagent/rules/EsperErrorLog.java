package io.edgeagent.rules;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
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
 * runs through the rule's generated classes, whose names carry the module's hash
 * ({@code generated.StatementProvider_<hash>_stmt450}); deployed rules register that hash here, so the log record
 * names the rule. Errors Esper also hands to the exception handler (a method on a value that throws) are counted
 * there and only have their repeated traces removed here.
 */
final class EsperErrorLog extends TurboFilter {

    /** The logger of Esper's static-method calls: the one error path that reaches no exception handler. */
    static final String STATIC_METHOD_LOGGER =
            "com.espertech.esper.common.internal.epl.expression.dot.core.ExprDotNodeForgeStaticMethodEval";
    private static final String ESPER = "com.espertech.esper";
    private static final String GENERATED = "generated.";
    private static final EsperErrorLog INSTANCE = new EsperErrorLog();

    /** A deployed rule: its engine's runtime URI and its name. */
    private record Owner(String runtimeUri, String rule) {
    }

    private final Map<String, Owner> modules = new ConcurrentHashMap<>();
    private final Set<Owner> traced = ConcurrentHashMap.newKeySet();

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

    /** @param classNames the generated classes of the rule's compiled module */
    static void register(String runtimeUri, String rule, Iterable<String> classNames) {
        Owner owner = new Owner(runtimeUri, rule);
        for (String name : classNames) {
            String hash = moduleHash(name);
            if (hash != null) {
                INSTANCE.modules.put(hash, owner);
                INSTANCE.traced.remove(owner);
                return;
            }
        }
    }

    static void unregisterAll(String runtimeUri) {
        INSTANCE.modules.values().removeIf(o -> o.runtimeUri().equals(runtimeUri));
        INSTANCE.traced.removeIf(o -> o.runtimeUri().equals(runtimeUri));
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (t == null || level == null || !level.isGreaterOrEqual(Level.ERROR) || !logger.getName().startsWith(ESPER)) {
            return FilterReply.NEUTRAL;
        }
        Owner owner = ownerOf(t);
        if (owner == null) {
            return FilterReply.NEUTRAL;
        }
        if (logger.getName().equals(STATIC_METHOD_LOGGER)) {
            RuntimeErrors.report(owner.runtimeUri(), owner.rule(), format == null ? RuntimeErrors.rootMessage(t) : format);
        }
        return traced.add(owner) ? FilterReply.NEUTRAL : FilterReply.DENY;
    }

    private Owner ownerOf(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            for (StackTraceElement frame : cause.getStackTrace()) {
                String hash = moduleHash(frame.getClassName());
                Owner owner = hash == null ? null : modules.get(hash);
                if (owner != null) {
                    return owner;
                }
            }
        }
        return null;
    }

    /** The hash in {@code generated.Kind_<hash>[_stmtN][$inner]}, or null for any other class. */
    private static String moduleHash(String className) {
        if (!className.startsWith(GENERATED)) {
            return null;
        }
        int start = className.indexOf('_');
        if (start < 0) {
            return null;
        }
        int end = start + 1;
        while (end < className.length() && Character.isLetterOrDigit(className.charAt(end))) {
            end++;
        }
        return end > start + 1 ? className.substring(start + 1, end) : null;
    }
}
