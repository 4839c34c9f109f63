package io.edgeagent.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The lines one class logs while this is open, at WARN and above, for tests that assert what a person is told. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    /** Loggers whose level this capture lowered, with the level to give back on close. */
    private final Map<Logger, Level> lowered = new HashMap<>();

    public LogCapture(Class<?> source) {
        this((Logger) LoggerFactory.getLogger(source));
    }

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * Every line of every logger at DEBUG and above, the Kafka client's included (the agent switches that one off,
     * a test turns it on here), for tests that a secret is never logged. Levels are restored on close.
     */
    public static LogCapture everything() {
        LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        for (String name : new String[] {org.slf4j.Logger.ROOT_LOGGER_NAME, "org.apache.kafka"}) {
            Logger lower = (Logger) LoggerFactory.getLogger(name);
            capture.lowered.put(lower, lower.getLevel());
            lower.setLevel(Level.DEBUG);
        }
        return capture;
    }

    /** Every message so far at any level the logger passes, each with its exception's messages and causes. */
    public List<String> all() {
        List<ILoggingEvent> events;
        // Other threads log while a test reads: AppenderBase appends under the appender's own lock.
        synchronized (appender) {
            events = List.copyOf(appender.list);
        }
        return events.stream().map(e -> {
            StringBuilder line = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
            }
            return line.toString();
        }).toList();
    }

    /** Formatted WARN and ERROR messages so far, oldest first. */
    public List<String> warnings() {
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        lowered.forEach(Logger::setLevel);
    }
}
