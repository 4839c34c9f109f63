package io.edgeagent.simulator.cli;

import io.edgeagent.simulator.Durations;
import io.edgeagent.simulator.PayloadFormat;
import java.time.Duration;
import picocli.CommandLine;

/** Command-line value converters; their messages become picocli usage errors (exit code 2). */
final class Converters {

    private Converters() {
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<PayloadFormat> {
        @Override
        public PayloadFormat convert(String value) {
            try {
                return PayloadFormat.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
