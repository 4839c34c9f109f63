package io.edgeagent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSetupTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty("EDGE_LOG_LEVEL");
        System.clearProperty("EDGE_LOG_PATTERN");
        System.clearProperty("logback.configurationFile");
    }

    @Test
    void serviceLoader_findsLogSetup_soLogbackUsesItInsteadOfAnXmlFile() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(ServiceLoader.Provider::type)).contains(LogSetup.class);
    }

    @Test
    void configure_levelAndPatternFromProperties_oneStderrAppenderAndQuietLibraries() {
        System.setProperty("EDGE_LOG_LEVEL", "WARN");
        System.setProperty("EDGE_LOG_PATTERN", "%level %logger{0}: %msg%n");
        LoggerContext context = new LoggerContext();

        assertThat(new LogSetup().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo("%level %logger{0}: %msg%n");
        assertThat(stderr.isStarted()).isTrue();
        for (String library : LogSetup.QUIET_LIBRARIES) {
            assertThat(context.getLogger(library).getLevel()).as(library).isEqualTo(Level.WARN);
        }
    }

    @Test
    void configure_unknownLevelAndNoPattern_infoAndTheDefaultPattern() {
        System.setProperty("EDGE_LOG_LEVEL", "LOUD");
        LoggerContext context = new LoggerContext();

        new LogSetup().configure(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(LogSetup.DEFAULT_PATTERN);
    }

    @Test
    void configure_invalidPattern_fallsBackToTheDefaultSoEventsAreStillWritten() {
        System.setProperty("EDGE_LOG_PATTERN", "%d{HH:mm %replace(");
        LoggerContext context = new LoggerContext();

        new LogSetup().configure(context);

        ConsoleAppender<?> stderr = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) stderr.getEncoder();
        assertThat(encoder.getPattern()).isEqualTo(LogSetup.DEFAULT_PATTERN);
        assertThat(encoder.getLayout().isStarted()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void configure_messageWithNewlinesAndTerminalEscapes_isWrittenAsOneLineUnderAnyPattern() {
        for (String pattern : new String[] {null, "<4>%logger{0}: %m%n", "%message|%msg%n"}) {
            if (pattern != null) {
                System.setProperty("EDGE_LOG_PATTERN", pattern);
            }
            LoggerContext context = new LoggerContext();
            new LogSetup().configure(context);
            ConsoleAppender<ILoggingEvent> stderr =
                    (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
            Logger logger = context.getLogger("io.edgeagent.test");
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
                    "Message on {} could not be decoded: {}", null,
                    new Object[] {"sensors/x/t", "deviceId a\n2026-12-04 INFO forged\u001b[2J"});

            String line = new String(stderr.getEncoder().encode(event), StandardCharsets.UTF_8);

            assertThat(line).as(pattern).endsWith("\n").contains("deviceId a\\n2026-12-04 INFO forged\\u001B[2J");
            assertThat(line.indexOf('\n')).as(pattern).isEqualTo(line.length() - 1);
        }
    }

    @Test
    void configure_whenALogbackFileIsNamed_leavesTheConfigurationToIt() {
        System.setProperty("logback.configurationFile", "/etc/edge-agent/logback.xml");
        LoggerContext context = new LoggerContext();

        assertThat(new LogSetup().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }
}
