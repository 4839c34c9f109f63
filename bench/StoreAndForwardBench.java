import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.agent.Agent;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Store-and-forward benchmark, run by bench/store-and-forward.sh (which starts the two brokers). Phases, one after
 * the other on the same machine:
 * <ol>
 *   <li>baseline: mosquitto_sub (QoS 1) receives N messages from the simulator at max rate;</li>
 *   <li>ingest: the agent (in this JVM, uplink off, no rules) receives the same load and commits it to its outbox;
 *       rate between the 10% and 100% acknowledgement marks, commit batch = acknowledged / checkpoints;</li>
 *   <li>drain: the agent restarts with the MQTT uplink on and uploads the N-event backlog to the upstream broker;</li>
 *   <li>latency: a fixed moderate rate, live: publish to direct subscriber vs. publish to upstream subscriber.</li>
 * </ol>
 * Prints a Markdown report on stdout. Every wait has a deadline.
 */
public final class StoreAndForwardBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PHASE_DEADLINE = Duration.ofSeconds(240);

    public static void main(String[] args) throws Exception {
        String ingest = args[0];
        String upstream = args[1];
        Path simJar = Path.of(args[2]);
        int n = Integer.parseInt(args[3]);
        int latencyRate = Integer.parseInt(args[4]);
        int latencySeconds = Integer.parseInt(args[5]);
        Path work = Files.createTempDirectory("sf-bench");
        Files.createDirectories(work.resolve("rules"));
        StringBuilder report = new StringBuilder();

        double baseline = baseline(ingest, simJar, n);

        Agent agent = start(work, ingest, upstream, false);
        long files0 = fileSize(work);
        Phase in = measure(() -> agent.counters().acknowledged(), n, work, () -> runSimulator(ingest, simJar, n));
        long acked = agent.counters().acknowledged();
        double batch = acked / (double) Math.max(1, agent.counters().checkpoints());
        agent.stop();
        long afterStop = fileSize(work);

        AtomicLong upstreamEvents = new AtomicLong();
        MqttClient upstreamCounter = subscribe(upstream, "edge/#", (topic, payload) ->
                upstreamEvents.addAndGet(JSON.readTree(payload).path("events").size()));
        Agent drainer = start(work, ingest, upstream, true);
        Phase drain = measure(upstreamEvents::get, n, work, () -> { });
        long drainedFile = fileSize(work);

        List<Long> direct = Collections.synchronizedList(new ArrayList<>());
        List<Long> forwarded = Collections.synchronizedList(new ArrayList<>());
        MqttClient directSub = subscribe(ingest, "sensors/#", (topic, payload) ->
                direct.add(System.currentTimeMillis() - JSON.readTree(payload).path("ts").asLong()));
        upstreamCounter.setCallback(callback((topic, payload) -> {
            long now = System.currentTimeMillis();
            for (JsonNode e : JSON.readTree(payload).path("events")) {
                forwarded.add(now - e.path("eventTime").asLong());
            }
        }));
        int sent = publishAtRate(ingest, latencyRate, latencySeconds);
        long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
        while ((forwarded.size() < sent || direct.size() < sent) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        drainer.stop();
        directSub.disconnect();
        upstreamCounter.disconnect();

        report.append("## Store-and-forward, ").append(java.time.LocalDate.now()).append('\n').append('\n');
        report.append(String.format("Machine: %d cores, %s; agent in the bench JVM (%s), no rules, buffer defaults "
                        + "(commitInterval 50ms, maxBatch 1000, sync false); Mosquitto %s.%n%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                "-Xmx" + Runtime.getRuntime().maxMemory() / 1048576 + "m", "tuned (max_inflight_messages 1000)"));
        report.append("| measure | value |\n| --- | --- |\n");
        report.append(String.format("| baseline: mosquitto_sub QoS 1, %,d messages from the simulator | %,.0f msg/s |%n", n, baseline));
        report.append(String.format("| agent: MQTT QoS 1 -> committed outbox -> acknowledged | %,.0f events/s |%n", in.rate));
        report.append(String.format("| ratio agent / baseline | %.2f |%n", in.rate / baseline));
        report.append(String.format("| commit batch (acknowledged / checkpoints) | %.0f messages |%n", batch));
        report.append(String.format("| drain: %,d-event backlog -> upstream Mosquitto (QoS 1, batches of 500) | %,.0f events/s |%n", n, drain.rate));
        report.append(String.format("| latency at %d msg/s, publish -> direct subscriber, p50 / p99 | %d / %d ms |%n",
                latencyRate, pct(direct, 50), pct(direct, 99)));
        report.append(String.format("| latency at %d msg/s, publish -> agent -> upstream subscriber, p50 / p99 | %d / %d ms |%n",
                latencyRate, pct(forwarded, 50), pct(forwarded, 99)));
        report.append(String.format("| added by store-and-forward, p50 / p99 | %d / %d ms |%n",
                pct(forwarded, 50) - pct(direct, 50), pct(forwarded, 99) - pct(direct, 99)));
        report.append(String.format("| received in latency phase (direct / upstream, of %d sent) | %d / %d |%n",
                sent, direct.size(), forwarded.size()));
        report.append(String.format("| buffer file: empty / largest during ingest / after stop (compacted) | %,d KB / %,d KB / %,d KB |%n",
                files0 / 1024, in.maxFile / 1024, afterStop / 1024));
        report.append(String.format("| buffer file: largest during drain / when drained | %,d KB / %,d KB |%n",
                drain.maxFile / 1024, drainedFile / 1024));
        System.out.print(report);
    }

    record Phase(double rate, long maxFile) {
    }

    /** Runs {@code load}, polls {@code progress} until it reaches {@code n}; rate from the 10% mark to the end. */
    private static Phase measure(LongSupplier progress, int n, Path work, ThrowingRunnable load) throws Exception {
        Thread loader = new Thread(() -> {
            try {
                load.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bench-load");
        loader.start();
        long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
        long markTime = 0;
        long markCount = 0;
        long maxFile = 0;
        long lastSize = 0;
        while (progress.getAsLong() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("phase did not finish: " + progress.getAsLong() + " of " + n);
            }
            long now = progress.getAsLong();
            if (markTime == 0 && now >= n / 10) {
                markTime = System.nanoTime();
                markCount = now;
            }
            if (System.nanoTime() - lastSize > 200_000_000L) {
                maxFile = Math.max(maxFile, fileSize(work));
                lastSize = System.nanoTime();
            }
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        loader.join(TimeUnit.SECONDS.toMillis(60));
        maxFile = Math.max(maxFile, fileSize(work));
        return new Phase((n - markCount) / ((end - markTime) / 1e9), maxFile);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** mosquitto_sub's rate for the same load: lines from the 10% mark to the last. */
    private static double baseline(String url, Path simJar, int n) throws Exception {
        String port = url.substring(url.lastIndexOf(':') + 1);
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "127.0.0.1", "-p", port, "-q", "1", "-t", "sensors/#",
                "-C", Integer.toString(n), "-i", "bench-baseline").redirectErrorStream(true).start();
        Thread.sleep(300);
        Thread publisher = new Thread(() -> {
            try {
                runSimulator(url, simJar, n);
            } catch (Exception e) {
                // Ends the read loop below instead of leaving it waiting for lines that will not come.
                sub.destroy();
                throw new IllegalStateException(e);
            }
        });
        publisher.start();
        long mark = 0;
        long end = 0;
        int lines = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
            while (r.readLine() != null) {
                lines++;
                if (lines == n / 10) {
                    mark = System.nanoTime();
                }
                end = System.nanoTime();
            }
        }
        publisher.join(PHASE_DEADLINE.toMillis());
        sub.waitFor(10, TimeUnit.SECONDS);
        if (lines < n) {
            throw new IllegalStateException("mosquitto_sub received " + lines + " of " + n);
        }
        return (n - n / 10) / ((end - mark) / 1e9);
    }

    private static void runSimulator(String url, Path simJar, int n) throws Exception {
        Process sim = new ProcessBuilder("java", "-jar", simJar.toString(), "run", "--broker", url, "--devices", "100",
                "--max-rate", "--max-messages", Integer.toString(n), "--qos", "1", "--quiet", "--seed", "1",
                "--client-id", "bench-sim-" + System.nanoTime()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!sim.waitFor(PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            sim.destroyForcibly();
            throw new IllegalStateException("the simulator did not finish");
        }
        if (sim.exitValue() != 0) {
            throw new IllegalStateException("the simulator failed with exit code " + sim.exitValue());
        }
    }

    private static Agent start(Path work, String ingest, String upstream, boolean uplink) throws Exception {
        Path config = work.resolve("config.yaml");
        Files.writeString(config, String.join("\n",
                "broker:",
                "  url: " + ingest,
                "  clientId: bench-agent",
                "inputs:",
                "  - name: readings",
                "    topic: sensors/+/+",
                "rules:",
                "  directory: " + work.resolve("rules"),
                "  watch: false",
                "data:",
                "  directory: " + work.resolve("data"),
                "admin:",
                "  enabled: false",
                "uplink:",
                "  enabled: " + uplink,
                "  type: mqtt",
                "  url: " + upstream,
                "  clientId: bench-uplink",
                "  retryMin: 100ms",
                "  retryMax: 1s",
                ""));
        AgentConfig loaded = ConfigLoader.fromSystem().load(config);
        Agent agent = new Agent(loaded);
        agent.start();
        if (!agent.awaitConnected(Duration.ofSeconds(20))) {
            throw new IllegalStateException("agent did not connect");
        }
        return agent;
    }

    /** Publishes readings with the publish time as their timestamp, at {@code rate} a second (QoS 1). */
    private static int publishAtRate(String url, int rate, int seconds) throws Exception {
        MqttClient client = new MqttClient(url, "bench-latency-pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1000);
        client.connect(options);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            String device = "lat-" + i % 20;
            MqttMessage m = new MqttMessage(("{\"deviceId\":\"" + device + "\",\"type\":\"temperature\",\"value\":" + i
                    + ",\"ts\":" + System.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish("sensors/" + device + "/temperature", m);
            next += interval;
            LockSupport.parkNanos(next - System.nanoTime());
        }
        client.disconnect();
        client.close();
        return total;
    }

    interface Handler {
        void handle(String topic, byte[] payload) throws Exception;
    }

    private static MqttCallback callback(Handler handler) {
        return new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                handler.handle(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }

    private static MqttClient subscribe(String url, String filter, Handler handler) throws Exception {
        MqttClient client = new MqttClient(url, "bench-sub-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(callback(handler));
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMaxInflight(1000);
        client.connect(options);
        client.subscribe(filter, 1);
        return client;
    }

    private static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static long fileSize(Path work) {
        try {
            Path f = work.resolve("data").resolve("buffer.mv.db");
            return Files.exists(f) ? Files.size(f) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
