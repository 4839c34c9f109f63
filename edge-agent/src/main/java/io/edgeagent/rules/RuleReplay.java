package io.edgeagent.rules;

import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.Event;
import io.edgeagent.event.RuleFiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays recorded events through rules on event time, deterministically: before each event the engine's clock is
 * moved to the event's {@code eventTime}, and after the last one it runs on for {@code tail} so absence patterns
 * ("no reading for 15 s") can fire. Nothing is executed: firings are collected with the rule that made them.
 *
 * <p>Events whose time is earlier than the clock (out of order) are evaluated at the current clock time, as the live
 * agent would see a late message.
 */
public final class RuleReplay {

    /** A firing and the rule definition that produced it (for its actions). */
    public record Fired(RuleDefinition rule, RuleFiring firing) {
    }

    private RuleReplay() {
    }

    public static List<Fired> replay(List<RuleDefinition> rules, Map<String, GeofenceConfig> geofences,
                                     List<Event> events, Duration tail) throws ConfigException {
        return replay(rules, geofences, EventTypes.none(), events, tail);
    }

    /** @param declaredTypes the configuration's declared event types, which the rules and events may use */
    public static List<Fired> replay(List<RuleDefinition> rules, Map<String, GeofenceConfig> geofences,
                                     EventTypes declaredTypes, List<Event> events, Duration tail) throws ConfigException {
        try (RuleCompiler compiler = new RuleCompiler(geofences.keySet(), declaredTypes, null)) {
            return replay(compiler, rules, geofences, events, tail);
        }
    }

    /**
     * As {@link #replay(List, Map, EventTypes, List, Duration)}, with rules compiled by {@code compiler}, which
     * must have been made for {@code geofences}; with a cache directory, replays after the first one compile nothing.
     */
    public static List<Fired> replay(RuleCompiler compiler, List<RuleDefinition> rules,
                                     Map<String, GeofenceConfig> geofences, List<Event> events, Duration tail)
            throws ConfigException {
        List<Fired> fired = new ArrayList<>();
        try (RuleEngine engine = new RuleEngine(geofences, compiler, true,
                (rule, firing) -> fired.add(new Fired(rule, firing)))) {
            long start = events.isEmpty() ? 0 : events.get(0).eventTime();
            engine.advanceTime(start);
            for (RuleDefinition rule : rules) {
                engine.deploy(rule);
            }
            for (Event event : events) {
                engine.advanceTime(event.eventTime());
                engine.send(event);
            }
            engine.advanceTime(engine.currentTime() + tail.toMillis());
        }
        return fired;
    }
}
