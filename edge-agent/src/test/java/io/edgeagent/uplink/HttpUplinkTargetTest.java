package io.edgeagent.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.event.Event;
import io.edgeagent.event.Reading;
import io.edgeagent.wire.EventJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP target against a real JDK HTTP server on loopback. */
@Timeout(30)
class HttpUplinkTargetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it, body already decompressed. */
    record Request(Headers headers, String body) {
    }

    private HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    /** The status for a request's (decompressed) body; by default {@link #status} for every request. */
    private volatile ToIntFunction<String> statusFor = body -> status;
    /** While set, the server holds its answer until the test releases it: a server slower than any timeout. */
    private volatile CountDownLatch holdAnswer;
    /** While set, the body of every answer instead of the short default. */
    private volatile byte[] answerBody;
    /** While set, the server sends the answer's headers and part of its body, then holds the rest until released. */
    private volatile CountDownLatch holdBody;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ingest", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
                }
                String text = new String(raw, StandardCharsets.UTF_8);
                requests.add(new Request(exchange.getRequestHeaders(), text));
                CountDownLatch hold = holdAnswer;
                if (hold != null && !hold.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the held answer");
                }
                int answered = statusFor.applyAsInt(text);
                byte[] answer = answerBody != null ? answerBody : (answered == 200 ? "ok" : answered == 503
                        ? "upstream is overloaded" : "cannot take this").getBytes(StandardCharsets.UTF_8);
                CountDownLatch endless = holdBody;
                if (endless != null) {
                    exchange.sendResponseHeaders(answered, 0);
                    exchange.getResponseBody().write(answer);
                    exchange.getResponseBody().flush();
                    if (!endless.await(10, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the held body");
                    }
                    return;
                }
                exchange.sendResponseHeaders(answered, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private HttpUplinkTarget target(boolean gzip, Map<String, String> headers, Duration timeout) {
        return new HttpUplinkTarget(new UplinkConfig(true, "http", "http://127.0.0.1:" + server.getAddress().getPort()
                + "/ingest", null, "gateway-7", null, null, null, headers, null, gzip, timeout, null, null, null, null));
    }

    private static UplinkBatch batch() {
        Reading a = new Reading("id-a", "dev-1", "temperature", 21.5, "C", 1000, 1001, "sensors/dev-1/temperature");
        Reading b = new Reading("id-b", "dev-2", "humidity", 40, "%", 2000, 2001, "sensors/dev-2/humidity");
        return UplinkBatch.of(List.of(row(7, a), row(9, b)), false);
    }

    private static BufferedEvent row(long seq, Reading r) {
        return new BufferedEvent(seq, r.id(), r.kind(), r.deviceId(), r.eventTime(), EventJson.toJson(r));
    }

    @Test
    void send_serverAccepts_postsTheDocumentedWireFormat() throws Exception {
        UplinkBatch batch = batch();

        target(false, Map.of(), Duration.ofSeconds(5)).send(batch);

        Request request = requests.get(0);
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().getFirst("Idempotency-Key")).isEqualTo(batch.key()).hasSize(32);
        assertThat(request.headers().getFirst("Content-Encoding")).isNull();
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("agent").asText()).isEqualTo("gateway-7");
        assertThat(body.path("batch").asText()).isEqualTo(batch.key());
        assertThat(body.path("events")).hasSize(2);
        assertThat(body.path("events").get(0).path("seq").asLong()).isEqualTo(7);
        assertThat(body.path("events").get(1).path("seq").asLong()).isEqualTo(9);
        Event second = EventJson.fromJson(body.path("events").get(1).toString(), "unused");
        assertThat(second).isEqualTo(new Reading("id-b", "dev-2", "humidity", 40, "%", 2000, 2001,
                "sensors/dev-2/humidity"));
    }

    @Test
    void send_sameEventsTwice_sendsTheSameKeyAndBytes() throws Exception {
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        target.send(batch());
        target.send(UplinkBatch.of(batch().events(), true));

        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).headers().getFirst("Idempotency-Key"))
                .isEqualTo(requests.get(0).headers().getFirst("Idempotency-Key"));
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    }

    @Test
    void send_gzipAndHeaders_compressesAndSendsTheConfiguredHeaders() throws Exception {
        HttpUplinkTarget target = target(true, Map.of("Authorization", "Bearer s3cret"), Duration.ofSeconds(5));

        long bytes = target.send(batch());

        Request request = requests.get(0);
        assertThat(request.headers().getFirst("Content-Encoding")).isEqualTo("gzip");
        assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        assertThat(JSON.readTree(request.body()).path("events")).hasSize(2);
        assertThat(bytes).isLessThan(request.body().length());
    }

    @Test
    void send_statusNotInSuccessCodes_throwsWithTheStatusAndNoSecret() {
        status = 503;
        HttpUplinkTarget target = target(false, Map.of("Authorization", "Bearer s3cret"), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(batch())).isInstanceOf(UplinkException.class)
                .hasMessageContaining("503").hasMessageContaining("upstream is overloaded")
                .hasMessageNotContaining("s3cret");
        assertThat(target.connected()).as("the server was reached").isTrue();
    }

    /** {@code count} readings of devices dev-0, dev-1, ..., seqs 1 to count. */
    private static UplinkBatch readings(int count) {
        List<BufferedEvent> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(i + 1, new Reading("id-" + i, "dev-" + i, "temperature", i, "C", 1000 + i, 1001 + i,
                    "sensors/dev-" + i + "/temperature")));
        }
        return UplinkBatch.of(rows, false);
    }

    /** An endpoint that answers 400 to any request holding one of these devices' events, 200 to the others. */
    private void refuseDevices(String... devices) {
        statusFor = body -> Arrays.stream(devices).anyMatch(d -> body.contains("\"deviceId\":\"" + d + "\""))
                ? 400 : 200;
    }

    /** Event ids of the requests the endpoint accepted, in order (an id twice if it was accepted twice). */
    private List<String> acceptedIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Request request : requests) {
            if (statusFor.applyAsInt(request.body()) == 200) {
                JSON.readTree(request.body()).path("events").forEach(e -> ids.add(e.path("id").asText()));
            }
        }
        return ids;
    }

    private static List<String> ids(List<BufferedEvent> events) {
        return events.stream().map(BufferedEvent::id).toList();
    }

    @Test
    void send_oneEventTheEndpointRefuses_acceptsTheOthersInOrderAndRejectsItWhenRefusedAloneAgain() throws Exception {
        refuseDevices("dev-5");
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));
        UplinkBatch batch = readings(8);

        assertThatThrownBy(() -> target.send(batch)).isInstanceOfSatisfying(RejectedEventsException.class, e -> {
            assertThat(e.rejected()).as("one refusal proves little").isEmpty();
            assertThat(ids(e.kept())).containsExactly("id-5");
            assertThat(e.bytes()).isPositive();
        });
        assertThat(acceptedIds()).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4", "id-6", "id-7");
        // The whole batch, both halves, the refused half's halves, then the refused quarter's two events.
        assertThat(requests).hasSize(7);
        assertThat(requests).extracting(r -> r.headers().getFirst("Idempotency-Key")).doesNotHaveDuplicates();

        UplinkBatch next = UplinkBatch.of(List.of(batch.events().get(5), readings(10).events().get(9)), true);
        assertThatThrownBy(() -> target.send(next)).isInstanceOfSatisfying(RejectedEventsException.class, e -> {
            assertThat(e.kept()).isEmpty();
            assertThat(e.rejected()).singleElement().satisfies(r -> {
                assertThat(r.event().id()).isEqualTo("id-5");
                assertThat(r.reason()).isEqualTo("the endpoint refused the event on its own: 400: cannot take this");
                assertThat(r.destination()).isEqualTo(target.describe().substring("http ".length()));
            });
        });
        assertThat(acceptedIds()).endsWith("id-9").doesNotHaveDuplicates();
    }

    @Test
    void send_loneEventRefused_isRejectedOnlyAfterTheEndpointAcceptedAnotherBatch() throws Exception {
        refuseDevices("dev-0");
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));
        UplinkBatch lone = readings(1);

        assertThatThrownBy(() -> target.send(lone))
                .isInstanceOfSatisfying(UplinkException.class, e -> assertThat(e.refusedAsItIs()).isTrue());
        assertThatThrownBy(() -> target.send(lone)).as("nothing accepted in between")
                .isInstanceOfSatisfying(UplinkException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("POST to " + target.describe() + " refused 1 event (1 request; 400: cannot take this)"));
        target.send(UplinkBatch.of(List.of(readings(2).events().get(1)), false));

        assertThatThrownBy(() -> target.send(lone)).isInstanceOfSatisfying(RejectedEventsException.class,
                e -> assertThat(e.rejected()).extracting(r -> r.event().id()).containsExactly("id-0"));
    }

    @Test
    void send_batchTooLargeAsAWhole_isAcceptedInPartsInOrder() throws Exception {
        statusFor = body -> body.split("\"seq\"", -1).length - 1 > 3 ? 413 : 200;
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        long bytes = target.send(readings(10));

        assertThat(acceptedIds()).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6", "id-7",
                "id-8", "id-9");
        // 10 refused, 5 refused, 2 and 3 accepted, 5 refused, 2 and 3 accepted.
        assertThat(requests).hasSize(7);
        assertThat(bytes).isPositive();
    }

    @Test
    void send_endpointRefusesEverything_rejectsNothingAndStopsAtItsBudget() {
        status = 400;
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> target.send(readings(64))).isInstanceOfSatisfying(UplinkException.class, e -> {
                assertThat(e.refusedAsItIs()).isTrue();
                assertThat(e.getMessage()).contains("refused 64 events and every part of them tried (45 requests")
                        .contains("400: cannot take this");
            });
        }
        // The budget, then the newest event alone.
        assertThat(RefusalSearch.budget(64)).isEqualTo(44);
        assertThat(requests).hasSize(2 * 45);
    }

    @Test
    void send_endpointBreaksInTheMiddleOfASplit_keepsTheRefusedEventsInsteadOfRejectingThem() {
        AtomicInteger seen = new AtomicInteger();
        statusFor = body -> seen.incrementAndGet() == 2 ? 200 : 400;
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(readings(8))).isInstanceOfSatisfying(RejectedEventsException.class, e -> {
            assertThat(e.rejected()).isEmpty();
            assertThat(ids(e.kept())).containsExactly("id-4", "id-5", "id-6", "id-7");
        });
    }

    @Test
    void send_runOfRefusedEventsAtTheStart_keptFirstThenRejectedWhenRefusedAloneAgain() throws Exception {
        refuseDevices("dev-0", "dev-1", "dev-2");
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(readings(8))).isInstanceOfSatisfying(RejectedEventsException.class,
                e -> assertThat(ids(e.kept())).containsExactly("id-0", "id-1", "id-2"));
        assertThat(acceptedIds()).containsExactly("id-3", "id-4", "id-5", "id-6", "id-7");

        assertThatThrownBy(() -> target.send(UplinkBatch.of(readings(3).events(), true)))
                .isInstanceOfSatisfying(RejectedEventsException.class, e -> assertThat(e.rejected())
                        .extracting(r -> r.event().id()).containsExactly("id-0", "id-1", "id-2"));
    }

    @ParameterizedTest(name = "the newest event refused too: {0}")
    @ValueSource(booleans = {false, true})
    void send_longRunOfRefusedEventsAtTheStartInStrictOrder_isDeadLetteredWithinAFewAttempts(boolean newestToo)
            throws Exception {
        List<String> bad = new ArrayList<>(IntStream.range(0, 25).mapToObj(i -> "dev-" + i).toList());
        if (newestToo) {
            bad.add("dev-63");
        }
        refuseDevices(bad.toArray(String[]::new));
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));
        List<BufferedEvent> outbox = new ArrayList<>(readings(64).events());
        List<String> rejected = new ArrayList<>();

        // What the uplink does in strict order: the same oldest events every time, minus what left the outbox.
        int attempts = 0;
        while (!outbox.isEmpty() && attempts++ < 8) {
            try {
                target.send(UplinkBatch.of(List.copyOf(outbox), true));
                outbox.clear();
            } catch (RejectedEventsException e) {
                e.rejected().forEach(r -> rejected.add(r.event().id()));
                outbox.retainAll(e.kept());
            } catch (UplinkException e) {
                assertThat(e.refusedAsItIs()).as(e.getMessage()).isTrue();
            }
        }

        assertThat(outbox).as("settled after %d attempts", attempts).isEmpty();
        assertThat(rejected).containsExactlyInAnyOrderElementsOf(bad.stream().map(d -> "id-" + d.substring(4))
                .toList());
        assertThat(acceptedIds()).hasSize(64 - bad.size()).doesNotHaveDuplicates()
                .noneMatch(id -> bad.contains("dev-" + id.substring(3)));
    }

    @Test
    void send_partFailsOtherwiseWhileSplitting_failsTheAttemptWithoutRejectingAnything() {
        statusFor = body -> body.contains("\"deviceId\":\"dev-1\"") ? 400
                : body.contains("\"deviceId\":\"dev-6\"") ? 503 : 200;
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(readings(8))).isInstanceOfSatisfying(UplinkException.class, e -> {
            assertThat(e.refusedAsItIs()).isFalse();
            assertThat(e.getMessage()).contains("503");
        });
    }

    @Test
    void send_statusOutsideRefusedCodes_isRetriedWithoutSplitting() {
        status = 401;
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(readings(8))).isInstanceOfSatisfying(UplinkException.class, e -> {
            assertThat(e.refusedAsItIs()).isFalse();
            assertThat(e.getMessage()).contains("answered 401");
        });
        assertThat(requests).hasSize(1);
    }

    @Test
    void send_serverSlowerThanTheTimeout_throws() {
        holdAnswer = new CountDownLatch(1);
        try {
            assertThatThrownBy(() -> target(false, Map.of(), Duration.ofMillis(300)).send(batch()))
                    .isInstanceOf(UplinkException.class).hasMessageContaining("timed out");
        } finally {
            holdAnswer.countDown();
        }
    }

    @Test
    void send_answerOfMegabytesWithControlCharacters_isCutAndEscapedInTheError() {
        status = 503;
        answerBody = ("line one\n\u001b[31mred\u001b[0m " + "x".repeat(5_000_000)).getBytes(StandardCharsets.UTF_8);
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> target.send(batch())).isInstanceOfSatisfying(UplinkException.class, e ->
                assertThat(e.getMessage()).hasSizeLessThan(400).contains("503: line one\\n\\u001B[31mred")
                        .endsWith("...").doesNotContain("\n", "\u001b"));
    }

    @Test
    void send_answerWhoseBodyNeverEnds_failsWithinTwiceTheTimeout() {
        status = 400;
        holdBody = new CountDownLatch(1);
        try {
            assertThatThrownBy(() -> target(false, Map.of(), Duration.ofMillis(300)).send(batch()))
                    .isInstanceOf(UplinkException.class)
                    .hasMessageContaining("timed out: its answer did not end within 600ms");
        } finally {
            holdBody.countDown();
        }
    }

    @Test
    void send_nothingListening_throwsAndIsNotConnected() {
        server.stop(0);
        HttpUplinkTarget target = target(false, Map.of(), Duration.ofSeconds(2));

        assertThatThrownBy(() -> target.send(batch())).isInstanceOf(UplinkException.class)
                .hasMessageContaining("POST to http http://127.0.0.1:");
        assertThat(target.connected()).isFalse();
    }

    @Test
    void create_headerTheClientCannotSet_failsNamingIt() {
        assertThatThrownBy(() -> target(false, Map.of("Host", "elsewhere"), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uplink.headers.Host");
    }

    @Test
    void idempotencyKey_dependsOnTheEventIdsAndTheirOrderOnly() {
        List<BufferedEvent> events = batch().events();
        List<BufferedEvent> sameIdsOtherSeqs = List.of(
                new BufferedEvent(100, "id-a", "Reading", "x", 0, "{}"), new BufferedEvent(200, "id-b", "Reading", "y", 0, "{}"));

        assertThat(UplinkBatch.idempotencyKey(sameIdsOtherSeqs)).isEqualTo(UplinkBatch.idempotencyKey(events));
        assertThat(UplinkBatch.idempotencyKey(List.of(events.get(1), events.get(0))))
                .isNotEqualTo(UplinkBatch.idempotencyKey(events));
    }
}
