package io.edgeagent.simulator.scenario;

import io.edgeagent.simulator.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a parsed scenario and reports every problem at once, each with its path in the file. */
final class ScenarioValidator {

    /** Safe inside an MQTT topic level and a JSON string without escaping. */
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private final List<String> problems = new ArrayList<>();

    static List<String> problems(Scenario s) {
        ScenarioValidator v = new ScenarioValidator();
        v.check(s);
        return v.problems;
    }

    private void check(Scenario s) {
        if (s.name() == null || !NAME.matcher(s.name()).matches()) {
            problem("name", s.name(), "expected lower-case letters, digits and '-'");
        }
        if (s.duration() == null || s.duration().isNegative() || s.duration().isZero()) {
            problem("duration", s.duration(), "expected a positive duration such as 30s");
        }
        if (s.devices().isEmpty()) {
            problem("devices", null, "expected at least one device");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < s.devices().size(); i++) {
            DeviceSpec d = s.devices().get(i);
            String at = "devices[" + i + "]";
            if (d.id() != null && !ids.add(d.id())) {
                problem(at + ".id", d.id(), "the id is used by an earlier device");
            }
            checkDevice(at, d, s.duration());
        }
        checkExpectations(s, ids);
    }

    private void checkDevice(String at, DeviceSpec d, Duration scenarioDuration) {
        if (d.id() == null || !DEVICE_ID.matcher(d.id()).matches()) {
            problem(at + ".id", d.id(), "expected 1-64 letters, digits, '.', '_' or '-'");
        }
        if (d.kind() == null) {
            problem(at + ".kind", null, "expected temperature, humidity, door or tracker");
            return;
        }
        if (!positive(d.interval())) {
            problem(at + ".interval", d.interval(), "expected a positive duration");
        }
        if (d.noise() < 0 || d.diurnalAmplitude() < 0) {
            problem(at + ".noise", d.noise(), "noise and diurnalAmplitude must be 0 or more");
        }
        if (!positive(d.diurnalPeriod())) {
            problem(at + ".diurnalPeriod", d.diurnalPeriod(), "expected a positive duration");
        }
        if (d.kind() == DeviceKind.TRACKER) {
            if (d.route().isEmpty()) {
                problem(at + ".route", null, "a tracker needs at least one waypoint");
            }
            for (int w = 0; w < d.route().size(); w++) {
                Waypoint p = d.route().get(w);
                if (Math.abs(p.lat()) > 90 || Math.abs(p.lon()) > 180) {
                    problem(at + ".route[" + w + "]", p, "expected lat in [-90, 90] and lon in [-180, 180]");
                }
            }
            if (d.speed() < 0 || d.accuracy() < 0) {
                problem(at + ".speed", d.speed(), "speed and accuracy must be 0 or more");
            }
        }
        for (int e = 0; e < d.events().size(); e++) {
            checkEvent(at + ".events[" + e + "]", d.events().get(e), d.kind(), scenarioDuration);
        }
    }

    private void checkEvent(String at, DeviceEvent e, DeviceKind kind, Duration scenarioDuration) {
        if (e.type() == null) {
            problem(at + ".type", null, "required");
            return;
        }
        if (!e.type().appliesTo(kind)) {
            problem(at + ".type", e.type().yamlName(), "does not apply to a " + kind.yamlName() + " device");
        }
        if (e.at() == null || e.at().isNegative()) {
            problem(at + ".at", e.at(), "expected a time from the scenario start, e.g. 5s");
        } else if (scenarioDuration != null && e.at().compareTo(scenarioDuration) >= 0) {
            problem(at + ".at", e.at(), "is not before the end of the scenario (" + Durations.format(scenarioDuration) + ")");
        }
        if (e.type().needsUntil() && (e.until() == null || e.at() == null || e.until().compareTo(e.at()) <= 0)) {
            problem(at + ".until", e.until(), "an event of type " + e.type().yamlName() + " needs an 'until' after 'at'");
        }
        if (e.type().needsValue() && e.value() == null) {
            problem(at + ".value", null, "an event of type " + e.type().yamlName() + " needs a value");
        }
        if (e.type() == EventType.SPEED && e.value() != null && e.value() < 0) {
            problem(at + ".value", e.value(), "a speed must be 0 or more m/s");
        }
        if ((e.type() == EventType.MALFORMED) != (e.payload() != null)) {
            problem(at + ".payload", e.payload(), "only malformed events have a payload, and they need one "
                    + "(truncated, non-numeric or wrong-type)");
        }
    }

    private void checkExpectations(Scenario s, Set<String> ids) {
        List<List<ExpectedDetection>> lists = List.of(s.expect().detections(), s.expect().absent());
        for (int l = 0; l < lists.size(); l++) {
            String list = l == 0 ? "expect.detections" : "expect.absent";
            for (int i = 0; i < lists.get(l).size(); i++) {
                ExpectedDetection d = lists.get(l).get(i);
                String at = list + "[" + i + "]";
                if (d.rule() == null || d.rule().isBlank()) {
                    problem(at + ".rule", d.rule(), "required: the name of the agent's rule");
                }
                if (!ids.contains(d.device())) {
                    problem(at + ".device", d.device(), "is not one of the scenario's devices");
                }
                if (d.within() != null && (l == 1 || !positive(d.within())
                        || (s.duration() != null && d.within().compareTo(s.duration()) > 0))) {
                    problem(at + ".within", d.within(), l == 1 ? "absent detections have no deadline"
                            : "expected a positive duration no longer than the scenario");
                }
            }
        }
        countMatches(s, EventType.MALFORMED, s.expect().malformed(), "expect.malformed");
        countMatches(s, EventType.DUPLICATE, s.expect().duplicates(), "expect.duplicates");
        countMatches(s, EventType.OUT_OF_ORDER, s.expect().outOfOrder(), "expect.outOfOrder");
    }

    private void countMatches(Scenario s, EventType type, int expected, String at) {
        long declared = s.devices().stream().mapToLong(d -> d.events(type).size()).sum();
        if (declared != expected) {
            problem(at, expected, "the devices have " + declared + " " + type.yamlName() + " events");
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private void problem(String path, Object value, String message) {
        String shown = value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
        problems.add(path + (value == null ? "" : " = " + shown) + ": " + message);
    }
}
