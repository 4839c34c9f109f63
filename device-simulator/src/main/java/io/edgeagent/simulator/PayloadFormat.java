package io.edgeagent.simulator;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How devices encode what they publish; each form is specified in {@code docs/event-format.md}. A format that cannot
 * express a device's data (a location as a raw number, a temperature as OwnTracks) falls back to {@link #JSON} for
 * that device, so every scenario runs in every format.
 */
public enum PayloadFormat {
    /** edge-agent JSON: {@code sensors/<id>/<type>} readings and {@code trackers/<id>/location} locations. */
    JSON,
    /** A bare number on {@code raw/<id>/<type>}; trackers fall back to JSON. */
    RAW,
    /** Tasmota {@code tele/<id>/SENSOR} telemetry; trackers fall back to JSON. */
    TASMOTA,
    /** OwnTracks {@code owntracks/<user>/<id>} locations; sensors and doors fall back to JSON. */
    OWNTRACKS;

    /** The name used on the command line and in documentation, e.g. {@code owntracks}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a format name, ignoring case.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static PayloadFormat parse(String name) {
        for (PayloadFormat f : values()) {
            if (f.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "': expected one of "
                + Arrays.stream(values()).map(PayloadFormat::cliName).collect(Collectors.joining(", ")));
    }
}
