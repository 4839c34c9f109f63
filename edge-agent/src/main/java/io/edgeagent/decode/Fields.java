package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.FieldSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads typed event fields from a message through {@link FieldSource}s, with error messages that name the field,
 * where it was looked for and what was found.
 */
final class Fields {

    /**
     * Longest id, device id, type or unit accepted: such values are identifiers, and the buffer stores them in
     * bounded columns; one absurd value must become a dead letter, not a write that fails forever.
     */
    static final int MAX_TEXT = 256;

    /** Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138; 1e11 ms is 1973). */
    private static final double EPOCH_MILLIS_THRESHOLD = 1e11;

    private final String topic;
    private final String[] topicLevels;
    private final byte[] payload;
    private final JsonNode json;

    Fields(String topic, byte[] payload, JsonNode json) {
        this.topic = topic;
        this.topicLevels = topic.split("/", -1);
        this.payload = payload;
        this.json = json;
    }

    /** The field as text, or null when absent; longer than {@link #MAX_TEXT} is an error, not a truncation. */
    String text(String field, FieldSource source) throws DecodeException {
        String text = rawText(field, source);
        if (text != null && text.length() > MAX_TEXT) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected at most " + MAX_TEXT
                    + " characters but found " + text.length());
        }
        return text;
    }

    private String rawText(String field, FieldSource source) throws DecodeException {
        if (source == null) {
            return null;
        }
        if (source instanceof FieldSource.Pointer p) {
            JsonNode node = json == null ? null : json.at(p.pointer());
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (!node.isValueNode()) {
                throw new DecodeException("field '" + field + "' (" + p + "): expected a string or number but found "
                        + (node.isArray() ? "a list" : "an object"));
            }
            return node.asText();
        } else if (source instanceof FieldSource.TopicSegment t) {
            return t.index() < topicLevels.length ? topicLevels[t.index()] : null;
        } else if (source instanceof FieldSource.WholePayload) {
            return new String(payload, StandardCharsets.UTF_8).trim();
        }
        return ((FieldSource.Constant) source).value();
    }

    String requiredText(String field, FieldSource source) throws DecodeException {
        String value = text(field, source);
        if (value == null || value.isEmpty()) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): required but missing");
        }
        return value;
    }

    /** The field as a finite number, or null when absent. */
    Double number(String field, FieldSource source) throws DecodeException {
        if (source instanceof FieldSource.Pointer p && json != null) {
            JsonNode node = json.at(p.pointer());
            if (node.isNumber()) {
                return finite(field, source, node.doubleValue());
            }
        }
        String text = rawText(field, source);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return finite(field, source, Double.parseDouble(text));
        } catch (NumberFormatException e) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected a number but found \""
                    + abbreviate(text) + "\"");
        }
    }

    double requiredNumber(String field, FieldSource source) throws DecodeException {
        Double value = number(field, source);
        if (value == null) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): required but missing");
        }
        return value;
    }

    /** Event time in epoch ms: ISO-8601 text (zone-less means UTC), or epoch seconds or milliseconds. */
    long time(String field, FieldSource source, long fallback) throws DecodeException {
        if (source instanceof FieldSource.Pointer p && json != null) {
            JsonNode node = json.at(p.pointer());
            if (node.isNumber()) {
                double v = node.doubleValue();
                return v < EPOCH_MILLIS_THRESHOLD ? (long) (v * 1000) : (long) v;
            }
        }
        String text = rawText(field, source);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new DecodeException("field '" + field + "' (" + where(source)
                        + "): expected an ISO-8601 time or epoch milliseconds but found \"" + abbreviate(text) + "\"");
            }
        }
    }

    private Double finite(String field, FieldSource source, double value) throws DecodeException {
        if (!Double.isFinite(value)) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected a finite number");
        }
        return value;
    }

    private String where(FieldSource source) {
        return source instanceof FieldSource.TopicSegment t ? "topic level " + t.index() + " of " + topic
                : String.valueOf(source);
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
