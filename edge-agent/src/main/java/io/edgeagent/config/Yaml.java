package io.edgeagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Binds YAML text to typed records. Scalars are bound straight to typed fields (never through a tree) so YAML 1.1
 * coercions cannot turn {@code NO} into false or {@code 1.10} into 1.1; every binding problem is collected rather than
 * thrown; {@code ${ENV:...}} and {@code ${FILE:...}} placeholders are resolved in strings.
 */
public final class Yaml {

    private static final YAMLMapper MAPPER = createMapper();

    private Yaml() {
    }

    /**
     * Binds {@code text} to {@code type}. Returns null, with problems added, when nothing usable could be bound.
     *
     * @param source the file name to put in problems
     */
    public static <T> T bind(String source, String text, Class<T> type, Placeholders placeholders, List<Problem> problems) {
        ObjectReader reader = MAPPER.readerFor(type)
                .withHandler(new ProblemCollector(source, problems))
                .withAttribute(Placeholders.class, placeholders);
        int before = problems.size();
        try {
            T value = reader.readValue(text);
            if (value == null) {
                problems.add(new Problem(source, 0, "", null, "the file is empty"));
            } else {
                new UnknownKeys(source, YamlLines.index(text), problems).check(MAPPER.readTree(text), type, "");
            }
            addMissingLines(text, problems, before);
            return value;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            problems.add(new Problem(source, line, "", null, firstLine(e.getOriginalMessage())));
            return null;
        }
    }

    /**
     * Jackson buffers the tokens of records before binding them, so problems met there have no position; look their
     * key paths up in the document instead.
     */
    private static void addMissingLines(String text, List<Problem> problems, int from) {
        YamlLines lines = null;
        for (int i = from; i < problems.size(); i++) {
            Problem p = problems.get(i);
            if (p.line() == 0 && p.path() != null && !p.path().isEmpty()) {
                lines = lines == null ? YamlLines.index(text) : lines;
                problems.set(i, new Problem(p.source(), lines.lineOf(p.path()), p.path(), p.value(), p.message()));
            }
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static YAMLMapper createMapper() {
        SimpleModule module = new SimpleModule("edge-agent-config");
        module.addDeserializer(String.class, new PlaceholderStringDeserializer());
        module.addDeserializer(Duration.class, new ParsingDeserializer<>(Duration.class, Durations::parse));
        module.addDeserializer(Instant.class, new ParsingDeserializer<>(Instant.class, EventTimeWindow::parseInstant));
        module.addDeserializer(ByteSize.class, new ParsingDeserializer<>(ByteSize.class, ByteSize::parse));
        // An empty path ("") means "not set", as for every other optional string in config.yaml.
        module.addDeserializer(Path.class, new ParsingDeserializer<>(Path.class, t -> t.isBlank() ? null : Path.of(t)));
        module.addDeserializer(FieldSource.class, new ParsingDeserializer<>(FieldSource.class, FieldSource::parse));
        module.addDeserializer(Boolean.class, new StrictBooleanDeserializer());
        return YAMLMapper.builder()
                // Only true/false are booleans: ON, off, yes, NO stay words (Tasmota and relay commands use ON/OFF).
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                .addModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /** Only true and false: Jackson would also take 1 and 0, and {@code watch: 1} is as likely a typo as a choice. */
    private static final class StrictBooleanDeserializer extends StdScalarDeserializer<Boolean> {
        StrictBooleanDeserializer() {
            super(Boolean.class);
        }

        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
            };
        }
    }

    /** Strings with placeholders resolved; a failed lookup becomes a problem, not an exception. */
    private static final class PlaceholderStringDeserializer extends StdScalarDeserializer<String> {
        PlaceholderStringDeserializer() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == null || !token.isScalarValue()) {
                return (String) ctxt.handleUnexpectedToken(String.class, p);
            }
            String raw = p.getText();
            Placeholders placeholders = (Placeholders) ctxt.getAttribute(Placeholders.class);
            try {
                return placeholders == null ? raw : placeholders.resolve(raw);
            } catch (IllegalArgumentException e) {
                return (String) ctxt.handleWeirdStringValue(String.class, raw, "expected " + e.getMessage()
                        .replaceFirst("^", "a resolvable placeholder: "));
            }
        }
    }

    /** A scalar parsed from its text form; the parser's IllegalArgumentException message becomes the problem. */
    private static final class ParsingDeserializer<T> extends StdScalarDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parser;

        ParsingDeserializer(Class<T> type, Function<String, T> parser) {
            super(type);
            this.type = type;
            this.parser = parser;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == null || !token.isScalarValue()) {
                return type.cast(ctxt.handleUnexpectedToken(type, p));
            }
            String text = p.getText();
            try {
                return parser.apply(text);
            } catch (RuntimeException e) {
                String message = e.getMessage() != null && e.getMessage().startsWith("expected") ? e.getMessage()
                        : "expected " + ProblemCollector.describe(type);
                return type.cast(ctxt.handleWeirdStringValue(type, text, message));
            }
        }
    }
}
