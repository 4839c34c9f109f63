package io.edgeagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * An upstream for the uplink: a real JDK HTTP server on a free loopback port that accepts batches (or answers an
 * error status while {@link #failWith} is set, or 400 to a batch holding a value set by {@link #refuseValue}) and
 * records every event of every accepted batch, in arrival order.
 * {@link #parse} reads the same wire format from an MQTT payload.
 */
public final class UplinkCollector implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One uploaded event: its id, device, buffer seq, the reading's value, and the batch it came in. */
    public record Uploaded(String agent, String batch, String id, String deviceId, long seq, double value) {
    }

    private final HttpServer server;
    private final List<Uploaded> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int failStatus;
    private volatile double refusedValue = Double.NaN;

    public UplinkCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/events", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                int status = failStatus;
                boolean gzip = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                List<Uploaded> batch = status != 0 ? List.of() : parse(body, gzip);
                if (batch.stream().anyMatch(e -> e.value() == refusedValue)) {
                    status = 400;
                }
                if (status != 0) {
                    refused.incrementAndGet();
                } else {
                    events.addAll(batch);
                    status = 200;
                }
                exchange.sendResponseHeaders(status, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public static List<Uploaded> parse(byte[] payload, boolean gzip) throws IOException {
        byte[] json = gzip ? new GZIPInputStream(new ByteArrayInputStream(payload)).readAllBytes() : payload;
        JsonNode batch = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        List<Uploaded> parsed = new ArrayList<>();
        for (JsonNode e : batch.path("events")) {
            parsed.add(new Uploaded(batch.path("agent").asText(), batch.path("batch").asText(), e.path("id").asText(),
                    e.path("deviceId").asText(), e.path("seq").asLong(), e.path("value").asDouble()));
        }
        return parsed;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
    }

    /** Answer {@code status} to every batch from now on; 0 accepts again. */
    public void failWith(int status) {
        failStatus = status;
    }

    /** Answer 400 to every batch that holds an event with this value, as to an event the receiver cannot store. */
    public void refuseValue(double value) {
        refusedValue = value;
    }

    public int refused() {
        return refused.get();
    }

    public List<Uploaded> events() {
        return events;
    }

    public Set<String> distinctIds() {
        return distinctIds(events);
    }

    public static Set<String> distinctIds(List<Uploaded> events) {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(e -> ids.add(e.id()));
        return ids;
    }

    /** Each device's values in the order their first copies arrived (duplicates dropped by id, as a receiver would). */
    public static Map<String, List<Double>> arrivalOrderByDevice(List<Uploaded> events) {
        Map<String, List<Double>> byDevice = new TreeMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Uploaded e : events) {
            if (seen.add(e.id())) {
                byDevice.computeIfAbsent(e.deviceId(), d -> new ArrayList<>()).add(e.value());
            }
        }
        return byDevice;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
