package io.edgeagent.config;

/**
 * A rule file's use of one of its rule's output columns: the {@code key}, or a {@code {field}} placeholder in an
 * action (a workflow's steps count as the calling action's). The rule engine checks each against the columns the
 * compiled statement selects.
 *
 * @param path where in the rule file, as in a {@link Problem} ({@code key}, {@code actions[1].payload.reason})
 * @param line the rule file's line of that path, or 0 when unknown
 */
public record FieldReference(String path, String field, int line) {
}
