package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EventBean;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import io.edgeagent.config.GeofenceConfig;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * A rule compiled from its shape, with its constants given at deploy, answers exactly what the rule compiled as
 * written answers: the same rows, columns, values and types, in the same order, for any stream of events. Over the
 * example rules and the shapes of the rules-at-scale benchmark.
 */
class RuleShapeEquivalenceTest {

    private static final Map<String, GeofenceConfig> FENCES =
            Map.of("depot", new GeofenceConfig(52.52, 13.405, 300.0, null, 10.0));
    private static final List<String> MORE = List.of(
            "select deviceId, value from Reading(type = 'temperature' and value > 41.0)",
            "select deviceId, value from Reading(deviceId = 'sensor-2' and value < -40.0)",
            "select deviceId, avg(value) as average from Reading(type = 'temperature')#groupwin(deviceId)#length(5) "
                    + "group by deviceId having avg(value) > 42.0",
            "select deviceId, count(*) as n from Reading(value between 10 and 60.5)#time(30 sec) group by deviceId",
            "select deviceId as d from Reading(type in ('door', 'humidity') and deviceId like 'sensor-%' and value != 1)",
            "select deviceId as d, value * 1.8 + 32 as f from Reading(value - 5 > 0 and value < 100L)",
            "create variable double threshold = 20; on Reading(value < -50) set threshold = 30;\n"
                    + "select deviceId, value from Reading(value > threshold and deviceId != 'sensor-1')",
            "select deviceId as d from Reading(value >= 0.5 and current_timestamp().format('yyyy') = '1970')",
            "select deviceId, value from Reading(type = 'door')#groupwin(deviceId)#length(2) "
                    + "where value = 1 and coalesce(prev(1, value), 0.0) != 1",
            "select deviceId, count(*) as n from Reading#time(10 sec) group by deviceId having count(*) >= 3",
            // Cases of the reviews: comparisons in output conditions, match-recognize, pattern guards, named-window
            // merges, subqueries, lambdas, joins, contexts, variables set by rules, a group-by expression.
            "select deviceId, count(*) as n from Reading output when count_insert >= 4",
            "select * from Reading match_recognize (partition by deviceId measures A.deviceId as d, B.value as v "
                    + "pattern (A B) define A as A.value > 10, B as B.value > A.value + 1)",
            "select a.deviceId as d from pattern [every (a=Reading(type='temperature') while (a.value < 40))]",
            "create window MergeW#length(5) as Reading; insert into MergeW select * from Reading where value > 20;\n"
                    + "on Reading(type = 'door') as r merge MergeW as w where w.deviceId = r.deviceId "
                    + "when matched and w.value > 50 then delete when not matched and r.value > 0 then insert select r.*;\n"
                    + "select count(*) as n from MergeW",
            "select deviceId, value from Reading where value > (select avg(value) from Reading#length(5) "
                    + "where type = 'temperature') and type <> 'door'",
            "select deviceId, value from Reading#length(4) having window(*).anyOf(x => x.value > 85)",
            "select r.deviceId as d, l.speed as s from Reading#length(3) as r, Location#length(3) as l "
                    + "where r.value > 60 and l.speed > 20 and r.deviceId <> l.deviceId",
            "create context ByDevice partition by deviceId from Reading;\n"
                    + "context ByDevice select context.key1 as k, count(*) as n from Reading(value > 20) "
                    + "where context.key1 = 'sensor-1' having count(*) >= 2",
            "create variable double limitByDoor = 0; on Reading(type = 'door') set limitByDoor = case when value > 0 then 80 else 60 end;\n"
                    + "select deviceId, value, limitByDoor as t from Reading(type = 'temperature') where value > limitByDoor",
            "@ Name('v') create variable boolean big = 100 > 50;\nselect deviceId, big as b from Reading(value > 85)",
            "select value > 20 as hot, count(*) as n from Reading group by value > 20");
    private static final IsolatedEplCompiler COMPILER = new IsolatedEplCompiler();
    private static final List<Compiled> RULES = compileAll();

    private record Compiled(String name, EPCompiled asWritten, EPCompiled shaped, Map<String, Object> parameters) {
    }

    private static List<Compiled> compileAll() {
        List<String> epl = new ArrayList<>(MORE);
        try (Stream<Path> files = Files.list(TestConfigs.rulesDirectory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                epl.add(RuleFileReader.fromSystem().read(file).epl());
            }
            List<Compiled> compiled = new ArrayList<>();
            for (int i = 0; i < epl.size(); i++) {
                RuleShape shape = RuleShape.of(epl.get(i));
                compiled.add(new Compiled("rule-" + i, COMPILER.compile(epl.get(i), "as-written", Map.of()),
                        COMPILER.compile(shape.text(), "shaped", Map.of()), shape.parameters()));
            }
            return compiled;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static void closeCompiler() {
        COMPILER.close();
    }

    @Property(tries = 30)
    void shapedRules_answerAsTheRulesAsWritten(@ForAll("events") List<Event> events) throws Exception {
        List<String> asWritten = run(events, false);
        List<String> shaped = run(events, true);

        assertThat(shaped).isEqualTo(asWritten);
    }

    @Property(tries = 1)
    void theEventsMakeMostRulesAnswer(@ForAll("events") List<Event> ignored) throws Exception {
        List<Event> hot = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long t = 1_000L + i * 4_000L;
            hot.add(new Reading("r" + i, "sensor-" + (i % 3), i % 4 == 0 ? "door" : "temperature",
                    i % 4 == 0 ? i % 8 / 4 : 20.0 + i * 2.5, "C", t, t, "t"));
            hot.add(new Location("l" + i, "truck-1", 52.52 + (i % 2 == 0 ? 0 : 0.02), 13.405, 5.0, 10.0 * (i % 5),
                    90.0, t, t, "t"));
        }
        long answering = run(hot, true).stream().map(line -> line.substring(0, line.indexOf(' '))).distinct().count();

        assertThat(answering).as("rules that answered at least once").isGreaterThanOrEqualTo(RULES.size() / 2);
    }

    /** Every row every rule answered, in order, as "rule {column=value (type), ...}". */
    private static List<String> run(List<Event> events, boolean shaped) throws Exception {
        Configuration configuration = EsperConfiguration.create(true, Map.of());
        RuntimeServices.create(FENCES, new RuntimeErrors.Sink() {
            @Override
            public void ruleError(String rule, String deploymentId, String message) {
            }

            @Override
            public void ruleLimit(String deploymentId, String limit) {
            }
        }).addTo(configuration);
        EPRuntime runtime = EPRuntimeProvider.getRuntime("shape-" + UUID.randomUUID(), configuration);
        List<String> rows = new ArrayList<>();
        try {
            runtime.getEventService().advanceTime(0);
            for (Compiled rule : RULES) {
                EPDeployment deployment = runtime.getDeploymentService().deploy(shaped ? rule.shaped() : rule.asWritten(),
                        RuleClassLoader.deploymentOptions(new RuleClassLoader.Owner(runtime.getURI(), rule.name()),
                                shaped ? rule.parameters() : Map.of()));
                deployment.getStatements()[deployment.getStatements().length - 1].addListener(
                        (newEvents, oldEvents, statement, rt) -> {
                            for (EventBean row : newEvents == null ? new EventBean[0] : newEvents) {
                                rows.add(rule.name() + " " + describe(row));
                            }
                        });
            }
            for (Event event : events) {
                runtime.getEventService().advanceTime(event.eventTime());
                runtime.getEventService().sendEventBean(event, event instanceof Reading ? Reading.KIND : Location.KIND);
            }
        } finally {
            runtime.destroy();
        }
        return rows;
    }

    private static String describe(EventBean row) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String name : row.getEventType().getPropertyNames()) {
            Object value = row.get(name);
            columns.put(name, value + " (" + (value == null ? "null" : value.getClass().getSimpleName()) + ")");
        }
        return columns.toString();
    }

    @Provide
    Arbitrary<List<Event>> events() {
        AtomicInteger ids = new AtomicInteger();
        Arbitrary<Integer> gaps = Arbitraries.integers().between(0, 20_000);
        Arbitrary<Event> reading = Combinators.combine(Arbitraries.of("sensor-0", "sensor-1", "sensor-2", "door-x"),
                Arbitraries.of("temperature", "door", "humidity"), Arbitraries.doubles().between(-60, 120).ofScale(1))
                .as((device, type, value) -> new Reading("r" + ids.incrementAndGet(), device, type,
                        type.equals("door") ? Math.abs(value) % 2 : value, "C", 0, 0, "t"));
        Arbitrary<Event> location = Combinators.combine(Arbitraries.of("truck-1", "truck-2"),
                Arbitraries.doubles().between(-0.01, 0.01).ofScale(4), Arbitraries.doubles().between(0, 40).ofScale(1))
                .as((device, offset, speed) -> new Location("l" + ids.incrementAndGet(), device, 52.52 + offset, 13.405,
                        5.0, speed, 90.0, 0, 0, "t"));
        return Combinators.combine(Arbitraries.oneOf(reading, location), gaps).as(Timed::new)
                .list().ofMinSize(10).ofMaxSize(80).map(RuleShapeEquivalenceTest::stamped);
    }

    private record Timed(Event event, int gap) {
    }

    /** The events with rising times, each {@code gap} ms after the one before. */
    private static List<Event> stamped(List<Timed> timed) {
        List<Event> events = new ArrayList<>();
        long t = 1_000;
        for (Timed e : timed) {
            t += e.gap();
            events.add(e.event() instanceof Reading r
                    ? new Reading(r.id(), r.deviceId(), r.type(), r.value(), r.unit(), t, t, r.topic())
                    : at((Location) e.event(), t));
        }
        return events;
    }

    private static Location at(Location l, long t) {
        return new Location(l.id(), l.deviceId(), l.lat(), l.lon(), l.accuracy(), l.speed(), l.heading(), t, t, l.topic());
    }
}
