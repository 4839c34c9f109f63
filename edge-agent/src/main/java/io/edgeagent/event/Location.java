package io.edgeagent.event;

/**
 * A position fix. {@code lat}/{@code lon} are WGS84 degrees; {@code accuracy} is metres, {@code speed} metres per
 * second and {@code heading} degrees clockwise from north. The optional quantities are null when the device does not
 * report them.
 */
public record Location(String id, String deviceId, double lat, double lon, Double accuracy, Double speed,
                       Double heading, long eventTime, long receivedTime, String topic) implements Event {

    public static final String KIND = "Location";

    @Override
    public String kind() {
        return KIND;
    }
}
