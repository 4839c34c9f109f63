package io.edgeagent.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.Durations;
import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.FieldSource;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

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
    private static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;
    /** Longer than any time a device sends; keeps the parsers away from megabytes of text. */
    private static final int MAX_TIME_TEXT = 64;

    private final String topic;
    /** Split on first use only: most inputs never read a topic level. */
    private String[] topicLevels;
    private final byte[] payload;
    private final JsonNode json;

    Fields(String topic, byte[] payload, JsonNode json) {
        this.topic = topic;
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
            if (topicLevels == null) {
                topicLevels = topic.split("/", -1);
            }
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
            if (text.length() > MAX_TEXT) {
                // Longer than any number a device sends: not worth parsing (megabytes of digits would be).
                throw new NumberFormatException();
            }
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

    /**
     * Event time in epoch ms: ISO-8601 text (zone-less means UTC), or a number (as JSON or as text) of epoch seconds
     * (magnitude below 1e11) or milliseconds; {@code receivedTime} when absent. A time outside {@code window} is an
     * error, so no later arithmetic on event times can overflow and no broken device clock becomes an event.
     */
    long time(String field, FieldSource source, long receivedTime, EventTimeWindow window) throws DecodeException {
        if (source instanceof FieldSource.Pointer p && json != null) {
            JsonNode node = json.at(p.pointer());
            if (node.isNumber()) {
                return node.isIntegralNumber() && node.canConvertToLong()
                        ? epoch(field, source, node.longValue(), receivedTime, window, node)
                        : epoch(field, source, node.doubleValue(), receivedTime, window, node);
            }
        }
        String text = rawText(field, source);
        if (text == null || text.isEmpty()) {
            return receivedTime;
        }
        if (text.length() > MAX_TIME_TEXT) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected a time of at most "
                    + MAX_TIME_TEXT + " characters but found " + text.length());
        }
        long fast = utcMillis(text);
        if (fast == NOT_SIMPLE && Character.isDigit(text.charAt(text.length() - 1))) {
            if (isDecimal(text)) {
                return text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0 && text.length() <= 18
                        ? epoch(field, source, Long.parseLong(text), receivedTime, window, text)
                        : epoch(field, source, Double.parseDouble(text), receivedTime, window, text);
            }
            // Zone-less local time (Tasmota's Time) means UTC: the same value LocalDateTime.parse gives below.
            fast = utcMillis(text + "Z");
        }
        if (fast != NOT_SIMPLE) {
            return within(field, source, fast, receivedTime, window, text);
        }
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeException e) {
            try {
                instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e2) {
                throw new DecodeException("field '" + field + "' (" + where(source)
                        + "): expected an ISO-8601 time or epoch seconds or milliseconds but found \""
                        + abbreviate(text) + "\"");
            }
        }
        // Compared as instants: a year such as +999999999 has no epoch-millisecond value.
        if (instant.isBefore(Instant.ofEpochMilli(window.earliestMillis()))
                || instant.isAfter(Instant.ofEpochMilli(window.latestMillis(receivedTime)))) {
            throw outside(field, source, text, receivedTime, window);
        }
        return instant.toEpochMilli();
    }

    /** Epoch seconds or milliseconds given as a whole number. */
    private long epoch(String field, FieldSource source, long value, long receivedTime, EventTimeWindow window,
                       Object found) throws DecodeException {
        // Below 1e11 in magnitude, so the product stays far inside a long.
        long millis = value > -EPOCH_MILLIS_THRESHOLD && value < EPOCH_MILLIS_THRESHOLD ? value * 1000 : value;
        return within(field, source, millis, receivedTime, window, found);
    }

    /** Epoch seconds or milliseconds given with a fraction or an exponent, or too large for a long. */
    private long epoch(String field, FieldSource source, double value, long receivedTime, EventTimeWindow window,
                       Object found) throws DecodeException {
        if (!Double.isFinite(value)) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected a finite number but found "
                    + abbreviate(String.valueOf(found)));
        }
        double millis = Math.abs(value) < EPOCH_MILLIS_THRESHOLD ? value * 1000 : value;
        // Checked as a double, before any conversion to long can saturate or lose the sign.
        if (!(millis >= window.earliestMillis() && millis <= window.latestMillis(receivedTime))) {
            throw outside(field, source, found, receivedTime, window);
        }
        return Math.round(millis);
    }

    private long within(String field, FieldSource source, long millis, long receivedTime, EventTimeWindow window,
                        Object found) throws DecodeException {
        if (millis < window.earliestMillis() || millis > window.latestMillis(receivedTime)) {
            throw outside(field, source, found, receivedTime, window);
        }
        return millis;
    }

    private DecodeException outside(String field, FieldSource source, Object found, long receivedTime,
                                    EventTimeWindow window) {
        long latest = window.latestMillis(receivedTime);
        String upTo = latest == EventTimeWindow.LATEST ? Instant.ofEpochMilli(latest) + " (the agent's own clock is "
                + "before pipeline.eventTime.earliest, so only this bound applies)"
                : Instant.ofEpochMilli(latest) + " (the receive time plus pipeline.eventTime.maxAhead, "
                + Durations.format(window.maxAhead()) + ")";
        return new DecodeException("field '" + field + "' (" + where(source) + "): expected an event time from "
                + Instant.ofEpochMilli(window.earliestMillis()) + " (pipeline.eventTime.earliest) to " + upTo
                + " but found " + abbreviate(String.valueOf(found)) + ": the device's clock is not set or wrong");
    }

    /** JSON's number grammar: {@code -?digits[.digits][(e|E)[+-]digits]}; no hex, no suffixes, no NaN. */
    static boolean isDecimal(String t) {
        int i = t.startsWith("-") ? 1 : 0;
        int start = i;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        if (i == start) {
            return false;
        }
        if (i < t.length() && t.charAt(i) == '.') {
            int fraction = ++i;
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == fraction) {
                return false;
            }
        }
        if (i < t.length() && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
                i++;
            }
            int exponent = i;
            while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == exponent) {
                return false;
            }
        }
        return i == t.length();
    }

    private static final long NOT_SIMPLE = Long.MIN_VALUE;

    /**
     * Epoch ms of the common shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, the same value {@link Instant#parse} gives,
     * or {@link #NOT_SIMPLE} for anything else (which then goes through {@code Instant.parse}). Every device that
     * sends ISO time sends this shape, and the general parser cost a sixth of the pipeline thread's time.
     */
    static long utcMillis(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(n - 1) != 'Z' || t.charAt(4) != '-' || t.charAt(7) != '-'
                || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return NOT_SIMPLE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return NOT_SIMPLE;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9 || digits(t, 20, fraction) < 0) {
                return NOT_SIMPLE;
            }
            millis = digits(t, 20, Math.min(3, fraction));
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        } else if (n != 20) {
            return NOT_SIMPLE;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((epochDay * 86_400 + hour * 3600L + minute * 60L + second) * 1000) + millis;
    }

    /** The decimal value of {@code count} ASCII digits at {@code from}, or -1 if any is not a digit. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private Double finite(String field, FieldSource source, double value) throws DecodeException {
        if (!Double.isFinite(value)) {
            throw new DecodeException("field '" + field + "' (" + where(source) + "): expected a finite number");
        }
        return value;
    }

    String where(FieldSource source) {
        return source instanceof FieldSource.TopicSegment t ? "topic level " + t.index() + " of " + topic
                : String.valueOf(source);
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
