import io.edgeagent.agent.Agent;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.BufferConfig;
import io.edgeagent.config.ConfigLoader;
import io.edgeagent.event.DeadLetter;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import io.edgeagent.uplink.UplinkStats;
import io.edgeagent.uplink.kafka.KafkaUplinkTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Drain of a full H2 buffer into Kafka, run by bench/kafka-drain.sh (which starts the Kafka broker and Mosquitto, and
 * runs Kafka's ProducerPerformance after this): fills the agent's buffer with N readings of 100 devices, starts the
 * agent (in this JVM, no rules) with {@code uplink.type: kafka} and times it until the topic holds N records and the
 * buffer is empty. Prints one line of JSON: the rates (whole drain, and from the 10% mark), the average record value
 * record size, key, value and headers (for ProducerPerformance's --record-size) and the counts that say the drain was complete. Every wait has a
 * deadline.
 */
public final class KafkaDrainBench {

    private static final Duration DEADLINE = Duration.ofSeconds(300);
    private static final int FILL_BATCH = 1000;
    private static final String CLIENT_ID = "bench-uplink";

    public static void main(String[] args) throws Exception {
        String ingest = args[0];
        String bootstrap = args[1];
        int n = Integer.parseInt(args[2]);
        String topic = args[3];
        int partitions = Integer.parseInt(args[4]);
        Path work = Files.createTempDirectory("kafka-drain-bench");
        Files.createDirectories(work.resolve("rules"));

        long fillStart = System.nanoTime();
        fill(work.resolve("data"), n);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Agent agent = new Agent(ConfigLoader.fromSystem().load(config(work, ingest, bootstrap, topic)));
            long start = System.nanoTime();
            agent.start();
            long deadline = start + DEADLINE.toNanos();
            long markTime = 0;
            long markCount = 0;
            long inTopic = 0;
            while (inTopic < n || agent.buffer().depth() > 0) {
                if (System.nanoTime() > deadline) {
                    agent.stop();
                    throw new IllegalStateException("drain did not finish: " + inTopic + " of " + n + " in the topic, "
                            + agent.buffer().depth() + " left in the buffer");
                }
                Thread.sleep(20);
                inTopic = records(admin, topic, partitions);
                if (markTime == 0 && inTopic >= n / 10) {
                    markTime = System.nanoTime();
                    markCount = inTopic;
                }
            }
            long end = System.nanoTime();
            UplinkStats stats = agent.uplinkStats();
            long depth = agent.buffer().depth();
            agent.stop();
            // The uplink counts key and value bytes; each record also carries two headers: the event id (a UUID)
            // and the agent's client id. ProducerPerformance sends a value only, so its record size is all of it.
            long headerBytes = KafkaUplinkTarget.EVENT_ID.length() + 36 + KafkaUplinkTarget.AGENT.length()
                    + CLIENT_ID.length();
            System.out.printf(Locale.ROOT, "{\"events\": %d, \"fill_s\": %.1f, \"drain_s\": %.2f, "
                            + "\"drain_events_per_s\": %.0f, \"drain_events_per_s_from_10pct\": %.0f, "
                            + "\"records_in_topic\": %d, \"left_in_buffer\": %d, \"uplink_sent_events\": %d, "
                            + "\"uplink_sent_batches\": %d, \"avg_record_bytes\": %d}%n",
                    n, fillSeconds, (end - start) / 1e9, n / ((end - start) / 1e9),
                    (n - markCount) / ((end - markTime) / 1e9), inTopic, depth, stats.sentEvents(),
                    stats.sentBatches(), Math.round(stats.sentBytes() / (double) Math.max(1, stats.sentEvents())) + headerBytes);
        }
    }

    /** N readings of 100 devices in one H2 buffer, the way the pipeline stores them: batches, each checkpointed. */
    private static void fill(Path data, int n) {
        long ts = 1_795_310_411_722L;
        try (H2Buffer buffer = H2Buffer.open(data, BufferConfig.defaults())) {
            for (int done = 0; done < n; done += FILL_BATCH) {
                List<Event> events = new ArrayList<>(FILL_BATCH);
                for (int i = done; i < Math.min(n, done + FILL_BATCH); i++) {
                    String device = String.format(Locale.ROOT, "sensor-%05d", i % 100 + 1);
                    events.add(new Reading(UUID.randomUUID().toString(), device, "temperature", 2 + i % 300 / 100.0,
                            "C", ts + i, ts + i, "sensors/" + device + "/temperature"));
                }
                buffer.append(events, List.<DeadLetter>of());
                buffer.checkpoint();
            }
        }
    }

    /** The records in the topic: the sum of the partitions' end offsets (the topic is new, nothing is deleted). */
    private static long records(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long sum = 0;
        for (var info : admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).values()) {
            sum += info.offset();
        }
        return sum;
    }

    private static Path config(Path work, String ingest, String bootstrap, String topic) throws Exception {
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
                "  enabled: true",
                "  type: kafka",
                "  clientId: " + CLIENT_ID,
                "  retryMin: 100ms",
                "  retryMax: 1s",
                "  kafka:",
                "    bootstrapServers: " + bootstrap,
                "    topic: " + topic,
                ""));
        return config;
    }
}
