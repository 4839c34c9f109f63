package io.edgeagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.jsontype.TypeIdResolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Jackson's binding failures into {@link Problem}s and lets binding continue, so that one pass over a file
 * reports every unknown key and every ill-typed value at once instead of stopping at the first.
 */
final class ProblemCollector extends DeserializationProblemHandler {

    private final String source;
    private final List<Problem> problems;

    ProblemCollector(String source, List<Problem> problems) {
        this.source = source;
        this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        // Reported by UnknownKeys, which knows where the key really is; here it is only skipped.
        p.skipChildren();
        return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                         String failureMsg) {
        add(ctxt.getParser(), path(ctxt.getParser().getParsingContext(), null), valueToConvert,
                expectation(targetType, failureMsg));
        return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                                         String failureMsg) {
        add(ctxt.getParser(), path(ctxt.getParser().getParsingContext(), null), String.valueOf(valueToConvert),
                expectation(targetType, failureMsg));
        return null;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                        String failureMsg) throws IOException {
        String found = t == null ? "nothing" : describe(t);
        String value = t != null && t.isScalarValue() ? p.getText() : null;
        add(p, path(p.getParsingContext(), null), value,
                "expected " + describe(targetType.getRawClass()) + " but found " + found);
        p.skipChildren();
        return null;
    }

    @Override
    public Object handleInstantiationProblem(DeserializationContext ctxt, Class<?> instClass, Object argument,
                                             Throwable t) {
        add(ctxt.getParser(), path(ctxt.getParser().getParsingContext(), null),
                argument == null ? null : String.valueOf(argument), t.getMessage());
        return null;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                            ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
        String value = p.currentToken() != null && p.currentToken().isScalarValue() ? p.getText() : null;
        add(p, path(p.getParsingContext(), null), value, "expected " + describe(instClass));
        p.skipChildren();
        return null;
    }

    @Override
    public JavaType handleUnknownTypeId(DeserializationContext ctxt, JavaType baseType, String subTypeId,
                                        TypeIdResolver idResolver, String failureMsg) {
        return invalidAction(ctxt, baseType, subTypeId, "unknown type (expected one of "
                + idResolver.getDescForKnownTypeIds() + ")");
    }

    @Override
    public JavaType handleMissingTypeId(DeserializationContext ctxt, JavaType baseType, TypeIdResolver idResolver,
                                        String failureMsg) {
        return invalidAction(ctxt, baseType, null, "expected a type: one of " + idResolver.getDescForKnownTypeIds());
    }

    /** Records the problem and lets binding continue with a stand-in, so the file's other problems are found too. */
    private JavaType invalidAction(DeserializationContext ctxt, JavaType baseType, String typeId, String message) {
        if (!baseType.hasRawClass(ActionSpec.class)) {
            return null;
        }
        String at = path(ctxt.getParser().getParsingContext(), null);
        at = at.endsWith(".type") ? at : at.replaceFirst("(\\[\\d+]).*$", "$1") + ".type";
        add(ctxt.getParser(), at, typeId, message);
        return ctxt.constructType(InvalidAction.class);
    }

    private void add(JsonParser p, String path, String value, String message) {
        int line = p == null ? 0 : Math.max(p.currentTokenLocation().getLineNr(), p.currentLocation().getLineNr());
        problems.add(new Problem(source, Math.max(line, 0), path, value, message));
    }

    private static String expectation(Class<?> targetType, String failureMsg) {
        // Our own deserializers pass a message already phrased for a person; Jackson's own start with "not a valid".
        if (failureMsg != null && failureMsg.startsWith("expected")) {
            return failureMsg;
        }
        return "expected " + describe(targetType);
    }

    static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        } else if (type == Double.class || type == double.class) {
            return "a number";
        } else if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        } else if (type == String.class) {
            return "a string";
        } else if (List.class.isAssignableFrom(type)) {
            return "a list";
        } else if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a section (key: value pairs)";
        }
        return "a " + type.getSimpleName();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a section";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "an empty value";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Dotted key path of the parser's position, e.g. {@code inputs[1].fields.value}. */
    static String path(JsonStreamContext context, String leaf) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                // Before its first element (at the '[' itself) a list has no index yet.
                if (c.getCurrentIndex() >= 0 && c.hasCurrentIndex()) {
                    parts.add(0, "[" + c.getCurrentIndex() + "]");
                }
            } else if (c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append(part);
        }
        if (leaf != null) {
            out.append('.').append(leaf);
        }
        return out.length() > 0 && out.charAt(0) == '.' ? out.substring(1) : out.toString();
    }
}
