package io.edgeagent.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The event times the decoder accepts ({@code pipeline.eventTime}): not before {@code earliest}, and not more than
 * {@code maxAhead} after the time the agent received the message. Anything else is a device clock that was never
 * set or is wrong; such a message is a dead letter with that reason, not an event that would sit at the wrong end of
 * every time window and of the upload order. While the agent's own clock is before {@code earliest} (a Raspberry Pi
 * without a real-time clock before NTP has set it) it cannot judge "ahead", so then only the absolute bound
 * {@link #LATEST} applies.
 */
public record EventTimeWindow(Instant earliest, Duration maxAhead) {

    /** The last instant any event may have: the last of year 9999, which keeps every time a plain ISO-8601 text. */
    public static final long LATEST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    /** The largest {@code maxAhead} accepted in configuration. */
    public static final Duration MAX_AHEAD_LIMIT = Duration.ofDays(36_500);
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

    static final Field<Instant> EARLIEST = Field.of("earliest", Instant.parse("2000-01-01T00:00:00Z"),
            Check.that(e -> !e.isBefore(FIRST) && !e.isAfter(Instant.ofEpochMilli(LATEST)),
                    "expected an instant from 0001-01-01 to 9999-12-31"));
    static final Field<Duration> MAX_AHEAD = Field.of("maxAhead", Duration.ofDays(1),
            Check.that(d -> !d.isNegative() && d.compareTo(MAX_AHEAD_LIMIT) <= 0,
                    "expected a duration from 0s to " + Durations.format(MAX_AHEAD_LIMIT)));

    public EventTimeWindow {
        earliest = EARLIEST.or(earliest);
        maxAhead = MAX_AHEAD.or(maxAhead);
    }

    public static EventTimeWindow defaults() {
        return new EventTimeWindow(null, null);
    }

    /** {@code earliest} in epoch milliseconds, clamped to the range of events (validation reports values outside). */
    public long earliestMillis() {
        long seconds = Math.max(-LATEST / 1000, Math.min(LATEST / 1000, earliest.getEpochSecond()));
        return seconds * 1000 + earliest.getNano() / 1_000_000;
    }

    /** The latest event time accepted for a message received at {@code receivedTime}, in epoch milliseconds. */
    public long latestMillis(long receivedTime) {
        long earliestMs = earliestMillis();
        if (receivedTime < earliestMs) {
            return LATEST;
        }
        long ahead = maxAhead.isNegative() ? 0 : Math.min(maxAhead.getSeconds(), MAX_AHEAD_LIMIT.getSeconds()) * 1000;
        return receivedTime > LATEST - ahead ? LATEST : receivedTime + ahead;
    }

    /** An instant as configuration writes it: ISO-8601 ({@code 2000-01-01T00:00:00Z}) or a date ({@code 2000-01-01}, UTC). */
    public static Instant parseInstant(String text) {
        String trimmed = text.trim();
        try {
            return trimmed.length() == 10 ? LocalDate.parse(trimmed).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an instant such as 2000-01-01T00:00:00Z or a date such as "
                    + "2000-01-01");
        }
    }
}
