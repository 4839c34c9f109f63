package io.edgeagent.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeagent.simulator.scenario.Malformation;
import java.util.Arrays;

/** Serialises the JSON formats and breaks them in the ways {@link Malformation} names. */
final class JsonPayloads {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What broken firmware sends where a number belongs. */
    static final String NOT_A_NUMBER = "n/a";

    private JsonPayloads() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /**
     * Breaks a freshly built payload {@code root}: cut in half, or the number in {@code parent.field} replaced by
     * text or wrapped in an array. Modifies {@code parent}.
     */
    static byte[] malformed(ObjectNode root, ObjectNode parent, String field, Malformation how) {
        switch (how) {
            case TRUNCATED -> {
                byte[] whole = bytes(root);
                return Arrays.copyOf(whole, whole.length / 2);
            }
            case NON_NUMERIC -> parent.put(field, NOT_A_NUMBER);
            case WRONG_TYPE -> {
                JsonNode number = parent.get(field);
                parent.putArray(field).add(number);
            }
        }
        return bytes(root);
    }
}
