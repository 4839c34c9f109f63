package io.edgeagent.bootstrap;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.edgeagent.logtext.ControlChars;

/**
 * {@code %msg} (also {@code %m}, {@code %message}) with control characters escaped by {@link ControlChars}: every
 * log line is one line whatever a device put into a topic, an id or a field, also under a custom EDGE_LOG_PATTERN and
 * under journald, where a newline would start an entry without the line's priority.
 */
public final class EscapedMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return ControlChars.escape(super.convert(event));
    }
}
