package io.edgeagent.bench;

import io.edgeagent.config.InputConfig;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode of one MQTT message into events, as the pipeline thread does it: topic routing, JSON parse, field mapping,
 * content-derived event id. Payloads are what the device simulator publishes (docs/event-format.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-XX:+UseSerialGC"})
public class DecodeBench {

    private MessageDecoder decoder;
    private final String[] topics = new String[100];
    private final byte[][] json = new byte[100][];
    private final byte[][] jsonEpoch = new byte[100][];
    private final byte[][] tasmota = new byte[100][];
    private final byte[][] raw = new byte[100][];
    private int i;

    @Setup
    public void setup() {
        decoder = new MessageDecoder(List.of(
                new InputConfig("readings", "sensors/+/+", "json", "reading", Map.of()),
                new InputConfig("tasmota", "tele/+/SENSOR", "tasmota", null, Map.of()),
                new InputConfig("raw", "raw/+/+", "raw", "reading", Map.of())));
        long ts = 1_795_310_411_722L;
        for (int d = 0; d < 100; d++) {
            String device = String.format("sensor-%05d", d + 1);
            topics[d] = device;
            double value = 2 + (d % 30) / 10.0;
            // What the simulator sends: ISO-8601 time (Instant.toString).
            json[d] = ("{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":" + value
                    + ",\"unit\":\"C\",\"ts\":\"" + java.time.Instant.ofEpochMilli(ts + d) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            jsonEpoch[d] = ("{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":" + value
                    + ",\"unit\":\"C\",\"ts\":" + (ts + d) + "}").getBytes(StandardCharsets.UTF_8);
            tasmota[d] = ("{\"Time\":\"2026-11-22T01:20:" + String.format("%02d", d % 60)
                    + "\",\"DS18B20\":{\"Temperature\":" + value + "},\"TempUnit\":\"C\"}").getBytes(StandardCharsets.UTF_8);
            raw[d] = Double.toString(value).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public List<Event> json() throws DecodeException {
        int d = next();
        return decoder.decode("sensors/" + topics[d] + "/temperature", json[d], 1_795_310_411_722L);
    }

    @Benchmark
    public List<Event> jsonEpochMillis() throws DecodeException {
        int d = next();
        return decoder.decode("sensors/" + topics[d] + "/temperature", jsonEpoch[d], 1_795_310_411_722L);
    }

    @Benchmark
    public List<Event> tasmota() throws DecodeException {
        int d = next();
        return decoder.decode("tele/" + topics[d] + "/SENSOR", tasmota[d], 1_795_310_411_722L);
    }

    @Benchmark
    public List<Event> raw() throws DecodeException {
        int d = next();
        return decoder.decode("raw/" + topics[d] + "/temperature", raw[d], 1_795_310_411_722L);
    }

    private int next() {
        i = i == 99 ? 0 : i + 1;
        return i;
    }
}
