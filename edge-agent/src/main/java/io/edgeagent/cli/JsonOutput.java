package io.edgeagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** What {@code --json} prints: Jackson's rendering of a view record, a map or the agent's answer, never hand-made. */
final class JsonOutput {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private JsonOutput() {
    }

    /** Indented, for one answer. */
    static String pretty(Object value) {
        return write(PRETTY, value);
    }

    /** One line, for JSON-lines output. */
    static String line(Object value) {
        return write(COMPACT, value);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records, maps, strings and numbers always serialise: " + e.getMessage(), e);
        }
    }
}
