package io.edgeagent.config;

/**
 * A configuration record that checks what no single {@link Field} can: keys that depend on each other, and the
 * lists and maps it holds. {@link Validation} calls it after checking each key of the record against its Field.
 */
interface Section {

    void validate(Validation here);
}
