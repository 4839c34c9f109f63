package io.edgeagent.bootstrap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's logging, set up in code (found by logback through META-INF/services): one line per event, to stderr,
 * because stdout belongs to command output such as {@code status} and {@code demo}. A logback.xml would do the same
 * but makes logback load its XML configurator and the JDK's XML parser, several hundred classes and a tenth of a
 * second before the agent starts (docs/performance.md).
 *
 * <p>Level: EDGE_LOG_LEVEL (a system property or an environment variable; default INFO). Pattern: EDGE_LOG_PATTERN
 * (default below); under systemd the packaged unit sets it to "&lt;N&gt;%logger{0}: %msg%n", where &lt;N&gt; is the
 * syslog priority that journald reads (docs/operations.md). {@code -Dlogback.configurationFile=FILE} still wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {

    static final String DEFAULT_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n";
    /** Libraries that log routine work at INFO; their warnings and errors still show. */
    static final List<String> QUIET_LIBRARIES = List.of("h2database", "com.espertech", "io.moquette", "io.netty",
            "org.eclipse.paho");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // An invalid pattern must not print logback's status report to stdout.
        context.getStatusManager().add(new NopStatusListener());
        escapeMessages(context);

        String pattern = setting("EDGE_LOG_PATTERN", DEFAULT_PATTERN);
        PatternLayoutEncoder encoder = encoder(context, pattern);
        if (!encoder.getLayout().isStarted()) {
            // Logback would write an empty line for every event: an agent that logs nothing and says nothing.
            System.err.println("edge-agent: EDGE_LOG_PATTERN \"" + pattern + "\" is not a valid logback pattern; "
                    + "logging with the default pattern.");
            encoder = encoder(context, DEFAULT_PATTERN);
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        String levelName = setting("EDGE_LOG_LEVEL", "INFO");
        Level level = Level.toLevel(levelName, null);
        if (level == null) {
            System.err.println("edge-agent: EDGE_LOG_LEVEL \"" + levelName + "\" is not a log level (ERROR, WARN, INFO, "
                    + "DEBUG, TRACE); logging at INFO.");
            level = Level.INFO;
        }
        root.setLevel(level);
        root.addAppender(stderr);
        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        // The Kafka client logs every failed connection and metadata retry; the uplink reports each episode once.
        context.getLogger("org.apache.kafka").setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Every pattern's message word, the default's and any EDGE_LOG_PATTERN's, escapes control characters. */
    private static void escapeMessages(LoggerContext context) {
        Map<String, Supplier<DynamicConverter<ILoggingEvent>>> rules = new HashMap<>();
        for (String word : List.of("m", "msg", "message")) {
            rules.put(word, EscapedMessageConverter::new);
        }
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
