package io.edgeagent.event;

/**
 * A decoded device event. Immutable; safe to share between threads.
 *
 * <p>Two clocks are explicit: {@link #eventTime()} is when the device measured (from the payload, or the receive time
 * when the payload has none) and {@link #receivedTime()} is when the agent took the message off the broker. Both are
 * epoch milliseconds.
 */
public sealed interface Event permits Reading, Location, Derived, DeclaredEvent {

    /** Stable id: identical for a redelivered copy of the same message, so receivers can drop duplicates. */
    String id();

    String deviceId();

    long eventTime();

    long receivedTime();

    /** The MQTT topic the event arrived on. */
    String topic();

    /** The event type name used in EPL ({@code Reading}, {@code Location} or a declared type) and in the buffer ({@code Derived} too). */
    String kind();
}
