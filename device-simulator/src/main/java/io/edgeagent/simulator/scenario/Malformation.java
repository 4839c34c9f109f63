package io.edgeagent.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The ways a {@code malformed} event breaks a payload; a correct agent dead-letters each of them. */
public enum Malformation {
    /** The payload is cut off half-way (JSON that does not parse; an empty raw payload). */
    TRUNCATED,
    /** The measurement is text that is not a number, e.g. {@code "value":"warm"} or raw {@code n/a}. */
    NON_NUMERIC,
    /** The measurement has the wrong JSON type, e.g. an object where a number belongs. */
    WRONG_TYPE;

    @JsonValue
    public String yamlName() {
        return YamlNames.of(this);
    }

    @JsonCreator
    public static Malformation fromYaml(String text) {
        return YamlNames.parse(Malformation.class, text, "malformation");
    }
}
