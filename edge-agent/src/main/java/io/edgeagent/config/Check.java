package io.edgeagent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A rule one value must follow, phrased as what is expected of it. The common ones are here so that the same rule
 * reads the same in every section.
 *
 * @param <T> the type of value checked
 */
@FunctionalInterface
public interface Check<T> {

    Set<String> MQTT_SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    String MQTT_URL = "expected an MQTT URL such as tcp://127.0.0.1:1883 or ssl://broker:8883";

    /** @return null when {@code value} is fine, else what was expected, starting with "expected" */
    String expectation(T value);

    /** A check passed by the values {@code ok} accepts; a null value (a key not set) always passes. */
    static <T> Check<T> that(Predicate<T> ok, String expectation) {
        return value -> value == null || ok.test(value) ? null : expectation;
    }

    static Check<Integer> range(int min, int max) {
        return that(v -> v >= min && v <= max, "expected a whole number from " + min + " to " + max);
    }

    static Check<Duration> atLeast(Duration min) {
        return that(v -> v.compareTo(min) >= 0, "expected at least " + Durations.format(min));
    }

    static Check<String> notBlank(String expectation) {
        return that(v -> !v.isBlank(), expectation);
    }

    static Check<String> oneOf(List<String> allowed, String expectation) {
        return that(allowed::contains, expectation);
    }

    static Check<Path> readableFile() {
        return that(f -> Files.isRegularFile(f) && Files.isReadable(f), "expected a readable file");
    }

    static Check<String> mqttUrl() {
        return that(Check::isMqttUrl, MQTT_URL);
    }

    private static boolean isMqttUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.getScheme() != null && MQTT_SCHEMES.contains(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
