package io.edgeagent.cli;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.BrokerConfig;
import io.edgeagent.config.Durations;
import io.edgeagent.config.InputConfig;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.Event;
import io.edgeagent.mqtt.MqttConnection;
import io.edgeagent.mqtt.MqttOptions;
import io.edgeagent.wire.EventJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "record", description = {"Record live events from the broker into a file that `rules test --events` "
        + "replays: subscribes to the configuration's inputs on a connection of its own (clean session, so the "
        + "agent's queued messages are not touched), decodes with the same mappings, and writes one event per line.",
        "Exit codes: 0 recorded, 1 broker unreachable, 3 invalid configuration."})
final class RecordCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--duration", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to record, e.g. 10m.")
    Duration duration;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file (JSON lines).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        AgentConfig loaded = config.loadOrReport(spec.commandLine().getErr());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        BrokerConfig broker = loaded.broker();
        MessageDecoder decoder = new MessageDecoder(loaded.inputs(), loaded.declaredEventTypes(),
                loaded.pipeline().eventTime());
        String[] filters = loaded.inputs().stream().map(InputConfig::topic).distinct().toArray(String[]::new);
        int[] qos = new int[filters.length];
        Arrays.fill(qos, broker.qos());
        AtomicLong events = new AtomicLong();
        AtomicLong undecodable = new AtomicLong();
        CountDownLatch subscribed = new CountDownLatch(1);
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            MqttConnection connection = new MqttConnection("recorder", broker.url(), broker.clientId() + "-recorder",
                    MqttOptions.build(broker.url(), broker.username(), broker.password(), broker.tls(), broker.keepAlive(),
                            broker.connectTimeout(), broker.maxInflight(), true),
                    broker.reconnectMin(), broker.reconnectMax(), broker.connectTimeout(), false,
                    new MqttConnection.Listener() {
                        @Override
                        public void connected(MqttAsyncClient client) throws MqttException {
                            client.subscribe(filters, qos).waitForCompletion(broker.connectTimeout().toMillis());
                            subscribed.countDown();
                        }

                        @Override
                        public void messageArrived(String topic, MqttMessage message, long generation) {
                            record(writer, decoder, topic, message.getPayload(), events, undecodable);
                        }
                    });
            connection.start();
            try {
                if (!subscribed.await(broker.connectTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                    spec.commandLine().getErr().println("edge-agent: cannot connect to " + broker.url() + " ("
                            + connection.lastError() + ").");
                    return ExitCodes.FAILURE;
                }
                spec.commandLine().getOut().printf("Recording %s from %s for %s into %s ...%n",
                        String.join(", ", filters), broker.url(), Durations.format(duration), out);
                spec.commandLine().getOut().flush();
                Thread.sleep(duration.toMillis());
            } finally {
                connection.close(Duration.ofSeconds(1));
            }
        }
        spec.commandLine().getOut().printf("Recorded %s to %s (%s did not decode and %s skipped).%n",
                Plural.of(events.get(), "event"), out, Plural.of(undecodable.get(), "message"),
                undecodable.get() == 1 ? "was" : "were");
        return ExitCodes.OK;
    }

    private static void record(BufferedWriter writer, MessageDecoder decoder, String topic, byte[] payload,
                               AtomicLong events, AtomicLong undecodable) {
        List<Event> decoded;
        try {
            decoded = decoder.decode(topic, payload, System.currentTimeMillis());
        } catch (DecodeException e) {
            undecodable.incrementAndGet();
            return;
        }
        synchronized (writer) {
            try {
                for (Event event : decoded) {
                    writer.write(EventJson.toJson(event));
                    writer.newLine();
                    events.incrementAndGet();
                }
                writer.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write the recording", e);
            }
        }
    }
}
