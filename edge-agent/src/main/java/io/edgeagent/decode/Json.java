package io.edgeagent.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Parses payloads as JSON objects, with the parse error turned into a one-line reason. */
final class Json {

    /** Content after the object is an error, not ignored: a payload is one object or a dead letter. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static JsonNode object(byte[] payload) throws DecodeException {
        JsonNode flat = FlatJson.parse(payload);
        if (flat != null) {
            return flat;
        }
        return parsed(payload);
    }

    /** Through Jackson's parser: every payload that is not flat and simple, and the words of every parse error. */
    static JsonNode parsed(byte[] payload) throws DecodeException {
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
            throw new DecodeException("payload is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new DecodeException("payload could not be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DecodeException("payload: expected a JSON object but found "
                    + (node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return node;
    }

    private static String firstLine(String message) {
        int cut = message.indexOf('\n');
        return cut < 0 ? message : message.substring(0, cut);
    }
}
