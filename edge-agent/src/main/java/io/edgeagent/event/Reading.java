package io.edgeagent.event;

/**
 * One measurement of one quantity: a temperature, a humidity, a door contact (1 open, 0 closed), a power draw.
 * {@code unit} may be null when the device does not say.
 */
public record Reading(String id, String deviceId, String type, double value, String unit, long eventTime,
                      long receivedTime, String topic) implements Event {

    public static final String KIND = "Reading";

    @Override
    public String kind() {
        return KIND;
    }
}
