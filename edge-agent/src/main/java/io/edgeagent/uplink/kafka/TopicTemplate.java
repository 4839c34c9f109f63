package io.edgeagent.uplink.kafka;

import io.edgeagent.event.BufferedEvent;
import java.util.regex.Pattern;

/**
 * A topic template: {@code {clientId}} is filled once, {@code {deviceId}} and {@code {kind}} per event. Kafka topic
 * names allow only letters, digits, '.', '_' and '-', so every other character of a filled-in value becomes '_'.
 */
final class TopicTemplate {

    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9._-]");

    private final String template;
    private final boolean perEvent;

    TopicTemplate(String template, String clientId) {
        this.template = template.replace("{clientId}", sanitize(clientId));
        this.perEvent = this.template.contains("{deviceId}") || this.template.contains("{kind}");
    }

    String resolve(BufferedEvent event) {
        return perEvent ? template.replace("{deviceId}", sanitize(event.deviceId()))
                .replace("{kind}", sanitize(event.kind())) : template;
    }

    static String sanitize(String value) {
        return NOT_ALLOWED.matcher(value).replaceAll("_");
    }
}
