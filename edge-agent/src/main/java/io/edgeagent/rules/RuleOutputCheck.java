package io.edgeagent.rules;

import io.edgeagent.config.FieldReference;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a rule's {@code key} and placeholders name columns its statement selects. A misspelt key otherwise
 * turns a per-device cooldown into one shared by every device, and a misspelt placeholder is sent as written.
 */
final class RuleOutputCheck {

    private RuleOutputCheck() {
    }

    /** @param columns the property names of the rule's output events (its last statement's event type) */
    static List<Problem> problems(RuleDefinition rule, Collection<String> columns) {
        Set<String> known = new TreeSet<>(columns);
        List<Problem> problems = new ArrayList<>();
        for (FieldReference ref : rule.fieldReferences()) {
            if (known.contains(ref.field())) {
                continue;
            }
            boolean isKey = ref.path().equals("key");
            String suggestion = closest(ref.field(), known);
            problems.add(new Problem(rule.source().toString(), ref.line(), ref.path(),
                    isKey ? ref.field() : "{" + ref.field() + "}",
                    (isKey ? "the key" : "the placeholder") + " names no column the statement selects (it selects "
                            + (known.isEmpty() ? "none" : String.join(", ", known)) + ")"
                            + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?")));
        }
        return problems;
    }

    /**
     * The known name nearest to {@code name}, or null when none is near: the same but for case, at most two edits
     * apart (fewer for short names), or an abbreviation of it ({@code devId} of {@code deviceId}).
     */
    static String closest(String name, Collection<String> known) {
        String lower = name.toLowerCase(Locale.ROOT);
        int limit = Math.min(2, Math.max(1, name.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String other = candidate.toLowerCase(Locale.ROOT);
            int distance = other.equals(lower) ? 0 : distance(lower, other);
            boolean near = distance <= limit || (lower.length() >= 3 && isSubsequence(lower, other));
            if (near && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static boolean isSubsequence(String shorter, String longer) {
        int i = 0;
        for (int j = 0; j < longer.length() && i < shorter.length(); j++) {
            if (shorter.charAt(i) == longer.charAt(j)) {
                i++;
            }
        }
        return i == shorter.length();
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
