package io.edgeagent.bench;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.configuration.common.ConfigurationCommonEventTypeBean;
import com.espertech.esper.common.client.util.AccessorStyle;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import io.edgeagent.event.Reading;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Which event representation to send into Esper: the agent's {@link Reading} record as a bean type (public
 * accessors), a {@code Map}, or an object array, each through the same filter as the temperature-high rule and the
 * same per-device moving average. The cost of building the Map or array from the decoded record is included, since
 * that is what the agent would have to do per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC"})
public class EsperRepresentationBench {

    @Param({"bean", "map", "objectarray"})
    public String representation;

    private EPRuntime runtime;
    private EPEventService events;
    private final Reading[] readings = new Reading[1000];
    private int i;

    @Setup
    public void setup() throws Exception {
        Configuration c = new Configuration();
        ConfigurationCommonEventTypeBean bean = new ConfigurationCommonEventTypeBean();
        bean.setAccessorStyle(AccessorStyle.PUBLIC);
        c.getCommon().addEventType("Reading", Reading.class.getName(), bean);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("id", String.class);
        props.put("deviceId", String.class);
        props.put("type", String.class);
        props.put("value", double.class);
        props.put("unit", String.class);
        props.put("eventTime", long.class);
        c.getCommon().addEventType("ReadingMap", props);
        c.getCommon().addEventType("ReadingArray", props.keySet().toArray(new String[0]), props.values().toArray());
        c.getRuntime().getThreading().setInternalTimerEnabled(false);
        String type = switch (representation) {
            case "bean" -> "Reading";
            case "map" -> "ReadingMap";
            default -> "ReadingArray";
        };
        String epl = "select deviceId, value, unit, eventTime from " + type + "(type = 'temperature' and value > 8.0);\n"
                + "select deviceId, avg(value) as average from " + type + "(type = 'temperature')#groupwin(deviceId)"
                + "#length(5) group by deviceId having avg(value) > 50.0;\n";
        EPCompiled compiled = EPCompilerProvider.getCompiler().compile(epl, new CompilerArguments(c));
        runtime = EPRuntimeProvider.getRuntime("representation-" + representation, c);
        runtime.getDeploymentService().deploy(compiled);
        events = runtime.getEventService();
        for (int r = 0; r < readings.length; r++) {
            String device = String.format("sensor-%05d", r % 100 + 1);
            readings[r] = new Reading(UUID.randomUUID().toString(), device, "temperature", 2 + (r % 30) / 10.0, "C",
                    1L, 1L, "sensors/" + device + "/temperature");
        }
    }

    @TearDown
    public void close() {
        runtime.destroy();
    }

    @Benchmark
    public void send() {
        Reading r = readings[i];
        i = i == readings.length - 1 ? 0 : i + 1;
        switch (representation) {
            case "bean" -> events.sendEventBean(r, "Reading");
            case "map" -> {
                Map<String, Object> m = new HashMap<>(8);
                m.put("id", r.id());
                m.put("deviceId", r.deviceId());
                m.put("type", r.type());
                m.put("value", r.value());
                m.put("unit", r.unit());
                m.put("eventTime", r.eventTime());
                events.sendEventMap(m, "ReadingMap");
            }
            default -> events.sendEventObjectArray(
                    new Object[] {r.id(), r.deviceId(), r.type(), r.value(), r.unit(), r.eventTime()}, "ReadingArray");
        }
    }
}
