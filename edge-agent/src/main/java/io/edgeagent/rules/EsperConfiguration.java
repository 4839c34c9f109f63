package io.edgeagent.rules;

import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.configuration.common.ConfigurationCommonEventTypeBean;
import com.espertech.esper.common.client.util.AccessorStyle;
import io.edgeagent.config.EventTypes;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one Esper configuration of the agent: its event types, functions and runtime settings. The runtime and the
 * compiler both build theirs here; the compiler does so inside its own class loader (see {@link IsolatedEplCompiler}),
 * so this class refers to the others by name only.
 */
final class EsperConfiguration {

    /**
     * Esper's limits on pattern instances (all rules together) and match-recognize states: past them Esper refuses
     * to start new ones, and reports each refusal to {@link RuntimeErrors}, which counts it on the rule. Far above
     * what the example rules keep (one instance per device and open branch), far below what fills a 64 MB heap.
     */
    static final long MAX_PATTERN_SUBEXPRESSIONS = 10_000;
    static final long MAX_MATCH_RECOGNIZE_STATES = 10_000;

    private EsperConfiguration() {
    }

    /**
     * @param declaredTypes event types declared in the configuration: type name -> field name -> field type (the
     *        names of {@code EventTypes.FIELD_TYPES}); plain JDK types because the compiler's copy of this class gets
     *        them across class loaders
     */
    static Configuration create(boolean externalClock, Map<String, Map<String, String>> declaredTypes) {
        Configuration c = new Configuration();
        declaredTypes.forEach((name, fields) -> c.getCommon().addEventType(name, properties(fields)));
        ConfigurationCommonEventTypeBean publicAccessors = new ConfigurationCommonEventTypeBean();
        // Records expose accessors without the "get" prefix; PUBLIC makes Esper see them as properties.
        publicAccessors.setAccessorStyle(AccessorStyle.PUBLIC);
        c.getCommon().addEventType(Reading.KIND, Reading.class.getName(), publicAccessors);
        c.getCommon().addEventType(Location.KIND, Location.class.getName(), publicAccessors);
        String functions = FenceFunctions.class.getName();
        c.getCompiler().addPlugInSingleRowFunction("distance", functions, "distance");
        c.getCompiler().addPlugInSingleRowFunction("fence", functions, "fence");
        c.getCompiler().addPlugInSingleRowFunction("insideFence", functions, "insideFence");
        c.getCompiler().addPlugInSingleRowFunction("fenceDistance", functions, "fenceDistance");
        c.getCompiler().getByteCode().setAllowSubscriber(false);
        // Esper otherwise starts an unnamed pool of 8 threads for each compile of a rule with several statements; the
        // compile then runs on the caller's thread, one of the compiler's own named ones (IsolatedEplCompiler).
        c.getCompiler().getByteCode().setThreadPoolCompilerNumThreads(0);
        c.getRuntime().getThreading().setInternalTimerEnabled(!externalClock);
        c.getRuntime().getLogging().setEnableExecutionDebug(false);
        c.getRuntime().getExceptionHandling().addClass(RuntimeErrors.class);
        c.getRuntime().getConditionHandling().addClass(RuntimeErrors.class);
        c.getRuntime().getPatterns().setMaxSubexpressions(MAX_PATTERN_SUBEXPRESSIONS);
        c.getRuntime().getPatterns().setMaxSubexpressionPreventStart(true);
        c.getRuntime().getMatchRecognize().setMaxStates(MAX_MATCH_RECOGNIZE_STATES);
        c.getRuntime().getMatchRecognize().setMaxStatesPreventStart(true);
        // Statement metrics for `rules show`, pulled on demand: no interval (nothing scheduled, no reporting thread),
        // so each statement's figures are totals since it was deployed. Must be on when the runtime is created.
        c.getRuntime().getMetricsReporting().setEnableMetricsReporting(true);
        c.getRuntime().getMetricsReporting().setStatementInterval(-1);
        c.getRuntime().getMetricsReporting().setRuntimeInterval(-1);
        c.getRuntime().getMetricsReporting().setThreading(false);
        return c;
    }

    private static Map<String, Object> properties(Map<String, String> fields) {
        Map<String, Object> properties = new LinkedHashMap<>();
        fields.forEach((field, type) -> properties.put(field, EventTypes.FIELD_TYPES.get(type)));
        properties.putAll(EventTypes.COMMON_PROPERTIES);
        return properties;
    }
}
