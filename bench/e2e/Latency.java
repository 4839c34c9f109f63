import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Publish-to-action latency probe. Publishes QoS 1 readings of type "latency" at a fixed rate, each with its sequence
 * number in the event id; the agent's bench rule (bench/e2e/latency-rule.yaml, no cooldown) publishes a QoS 1 command
 * carrying that id; a subscriber in this same JVM records when each command arrives. Latency = command received -
 * reading published, both on this JVM's System.nanoTime(), so no clock skew. The first WARMUP_S seconds are sent but
 * not counted (JIT warm-up of the agent at that rate).
 *
 * Run: java -cp edge-agent/target/lib/org.eclipse.paho.client.mqttv3-1.2.5.jar bench/e2e/Latency.java \
 *        tcp://127.0.0.1:1883 RATE SECONDS WARMUP_S
 * Prints one JSON object. Bounded: stops after RATE * (SECONDS + WARMUP_S) messages and waits at most 10 s for the
 * last commands.
 */
public final class Latency {

    private static final int DEVICES = 10;

    public static void main(String[] args) throws Exception {
        String broker = args[0];
        int rate = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int warmupSeconds = Integer.parseInt(args[3]);
        int warmup = rate * warmupSeconds;
        int total = warmup + rate * seconds;
        long[] sent = new long[total];
        long[] received = new long[total];
        AtomicLong receivedCount = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        CountDownLatch allMeasured = new CountDownLatch(total - warmup);

        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(65535);
        options.setAutomaticReconnect(false);

        MqttAsyncClient sub = new MqttAsyncClient(broker, "bench-latency-sub", new MemoryPersistence());
        sub.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                System.err.println("latency: subscriber connection lost: " + cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                long now = System.nanoTime();
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                int at = payload.indexOf("lat-");
                if (at < 0) {
                    unexpected.incrementAndGet();
                    return;
                }
                int end = at + 4;
                while (end < payload.length() && Character.isDigit(payload.charAt(end))) {
                    end++;
                }
                int seq = Integer.parseInt(payload.substring(at + 4, end));
                if (seq < total && received[seq] == 0) {
                    received[seq] = now;
                    receivedCount.incrementAndGet();
                    if (seq >= warmup) {
                        allMeasured.countDown();
                    }
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        sub.connect(options).waitForCompletion(10_000);
        sub.subscribe("bench/latency/#", 1).waitForCompletion(10_000);

        MqttAsyncClient pub = new MqttAsyncClient(broker, "bench-latency-pub", new MemoryPersistence());
        pub.connect(options).waitForCompletion(10_000);

        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long behind = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            String device = "lat-dev-" + (i % DEVICES);
            long ts = System.currentTimeMillis();
            byte[] payload = ("{\"id\":\"lat-" + i + "\",\"deviceId\":\"" + device
                    + "\",\"type\":\"latency\",\"value\":1,\"unit\":\"x\",\"ts\":" + ts + "}")
                    .getBytes(StandardCharsets.UTF_8);
            sent[i] = System.nanoTime();
            if (sent[i] - due > 5_000_000L) {
                behind++;
            }
            MqttMessage message = new MqttMessage(payload);
            message.setQos(1);
            pub.publish("sensors/" + device + "/latency", message);
        }
        boolean complete = allMeasured.await(10, TimeUnit.SECONDS);
        pub.disconnect().waitForCompletion(5_000);
        sub.disconnect().waitForCompletion(5_000);
        pub.close();
        sub.close();

        int measured = total - warmup;
        long[] lat = new long[measured];
        int n = 0;
        for (int i = warmup; i < total; i++) {
            if (received[i] != 0) {
                lat[n++] = received[i] - sent[i];
            }
        }
        lat = Arrays.copyOf(lat, n);
        Arrays.sort(lat);
        double achieved = (double) measured * 1e9 / (sent[total - 1] - sent[warmup]);
        System.out.printf(Locale.ROOT, "{\"rate\": %d, \"achieved_rate\": %.0f, \"measured\": %d, \"received\": %d, "
                        + "\"lost\": %d, \"complete\": %b, \"publisher_late_over_5ms\": %d, \"p50_ms\": %.2f, "
                        + "\"p90_ms\": %.2f, \"p99_ms\": %.2f, \"p999_ms\": %.2f, \"max_ms\": %.2f}%n",
                rate, achieved, measured, n, measured - n, complete, behind, pct(lat, 0.50), pct(lat, 0.90),
                pct(lat, 0.99), pct(lat, 0.999), n == 0 ? Double.NaN : lat[n - 1] / 1e6);
        if (unexpected.get() > 0) {
            System.err.println("latency: " + unexpected.get() + " commands without a probe id");
        }
        System.exit(0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
