package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Topic matching runs on every message: for any filter the configuration accepts and any topic name a broker can
 * deliver, it agrees with the MQTT 3.1.1 rules (section 4.7) written out plainly below, and it never throws.
 */
class TopicFiltersFuzzTest {

    /** MQTT 4.7, level by level: '+' is one level, '#' the rest (its parent included), '$' topics not by wildcards. */
    private static boolean specification(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return true;
            }
            if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    @Property(tries = 1000)
    void matches_validFilterAndAnyTopic_agreesWithTheSpecification(@ForAll("filters") String filter,
                                                                   @ForAll("topics") String topic) {
        assertThat(TopicFilters.check(filter)).as("generated filter %s is valid", filter).isNull();
        boolean matches = TopicFilters.matches(filter, topic);
        Statistics.collect(matches);
        assertThat(matches).as("%s matches %s", filter, topic).isEqualTo(specification(filter, topic));
        Statistics.coverage(checker -> checker.check(true).count(n -> n > 10));
    }

    @Property(tries = 500)
    void matchesAndCheck_anyStrings_neverThrow(@ForAll String filter, @ForAll String topic) {
        TopicFilters.matches(filter, topic);
        TopicFilters.check(filter);
        TopicFilters.levelProblem(topic);
    }

    @Example
    void matches_leadingWildcard_doesNotMatchBrokerTopics() {
        assertThat(TopicFilters.matches("#", "$SYS/broker/uptime")).isFalse();
        assertThat(TopicFilters.matches("+/broker/uptime", "$SYS/broker/uptime")).isFalse();
        assertThat(TopicFilters.matches("$SYS/#", "$SYS/broker/uptime")).isTrue();
    }

    @Provide
    Arbitrary<String> filters() {
        Arbitrary<List<String>> levels = Arbitraries.of("a", "b", "", "+", "$SYS", "tele", "x y").list().ofMinSize(1)
                .ofMaxSize(5);
        return Combinators.combine(levels, Arbitraries.of(true, false))
                .as((l, hash) -> String.join("/", l) + (hash ? (l.isEmpty() ? "#" : "/#") : ""))
                .map(f -> f.startsWith("/#") && f.length() == 2 ? "#" : f);
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of("a", "b", "", "$SYS", "tele", "x y", "+", "#", "\u0000", "\ud83d\ude00").list().ofMinSize(1)
                .ofMaxSize(6).map(l -> String.join("/", l));
    }
}
