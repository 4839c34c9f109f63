package io.edgeagent.config;

import com.fasterxml.jackson.core.JsonPointer;

/**
 * Where one event field comes from in an MQTT message, written in configuration as:
 * {@code /a/b} (a JSON pointer into the payload), {@code topic:N} (segment N of the topic, from 0),
 * {@code payload} (the whole payload as a number) or {@code const:TEXT} (a constant).
 */
public sealed interface FieldSource {

    record Pointer(JsonPointer pointer) implements FieldSource {
        @Override
        public String toString() {
            return pointer.toString();
        }
    }

    record TopicSegment(int index) implements FieldSource {
        @Override
        public String toString() {
            return "topic:" + index;
        }
    }

    record WholePayload() implements FieldSource {
        @Override
        public String toString() {
            return "payload";
        }
    }

    record Constant(String value) implements FieldSource {
        @Override
        public String toString() {
            return "const:" + value;
        }
    }

    static FieldSource parse(String text) {
        if (text.startsWith("/")) {
            return new Pointer(JsonPointer.compile(text));
        } else if (text.equals("payload")) {
            return new WholePayload();
        } else if (text.startsWith("const:")) {
            return new Constant(text.substring("const:".length()));
        } else if (text.startsWith("topic:")) {
            try {
                int index = Integer.parseInt(text.substring("topic:".length()));
                if (index >= 0) {
                    return new TopicSegment(index);
                }
            } catch (NumberFormatException e) {
                // falls through to the one message below
            }
        }
        throw new IllegalArgumentException(
                "expected a field source: a JSON pointer (/value), topic:N, payload, or const:TEXT");
    }
}
