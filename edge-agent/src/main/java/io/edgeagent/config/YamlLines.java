package io.edgeagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line on which each key path of a YAML document starts, so that problems found after binding (a bad URL, an
 * out-of-range port) can still name the line a person has to edit.
 */
final class YamlLines {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Map<String, Integer> lines;

    private YamlLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static YamlLines index(String text) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                JsonStreamContext context = p.getParsingContext();
                String path = null;
                if (token == JsonToken.FIELD_NAME || (token.isScalarValue() && context.inArray())) {
                    path = ProblemCollector.path(context, null);
                } else if (token.isStructStart() && context.getParent() != null && context.getParent().inArray()) {
                    path = ProblemCollector.path(context.getParent(), null);
                }
                if (path != null) {
                    lines.putIfAbsent(path, p.currentLocation().getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // A document that does not parse is reported by the binder with its own position; no lines here.
        }
        return new YamlLines(lines);
    }

    /** The line of {@code path} or of its nearest ancestor that has one; 0 when unknown. */
    int lineOf(String path) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? null : p.substring(0, cut);
        }
        return 0;
    }
}
