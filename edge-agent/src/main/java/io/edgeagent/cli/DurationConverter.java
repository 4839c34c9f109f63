package io.edgeagent.cli;

import io.edgeagent.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Command-line durations in the same forms as the configuration file: 500ms, 30s, 5m, 1h, 7d, PT30S. */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}
