package io.edgeagent.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of an action step whose text (a string, the strings of a list or map's values, or every key and
 * string of a JSON tree) is a {@code {field}} template filled from the rule's output. {@link FieldReferences} finds
 * the placeholders through it, so a new step type is checked as soon as its templated components carry it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
public @interface Templated {
}
