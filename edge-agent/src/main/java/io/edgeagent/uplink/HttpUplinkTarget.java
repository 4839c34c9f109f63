package io.edgeagent.uplink;

import io.edgeagent.config.Durations;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.logtext.ControlChars;
import io.edgeagent.tls.PemTls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * POSTs each batch as one JSON document ({@link UplinkWire}) with an {@code Idempotency-Key} header (the batch key),
 * optionally gzipped with {@code Content-Encoding: gzip}. A batch counts as delivered only on a status listed in
 * {@code uplink.successCodes}. A status in {@code uplink.refusedCodes} (400, 413, 422 by default) refuses the batch as
 * it is: it is split to find the events the endpoint refuses on their own, which become dead letters ({@link Split}).
 * Any other status, a connection error or a timeout is a failure and the batch is sent again later. Configured
 * headers (often a token) are sent but never logged.
 */
public final class HttpUplinkTarget implements UplinkTarget {

    /** How much of an error response goes into the log line: enough for a reason, not a whole HTML page. */
    private static final int ERROR_BODY_CHARS = 200;
    /** How much of a response body is kept at all, at up to four bytes a character. */
    private static final int ERROR_BODY_BYTES = 4 * ERROR_BODY_CHARS;
    /** Events refused alone whose second solo refusal is awaited: at most this many are remembered. */
    private static final int REFUSED_ONCE_MAX = 10_000;

    private final URI uri;
    private final String agent;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final boolean gzip;
    private final Set<Integer> successCodes;
    private final Set<Integer> refusedCodes;
    /** The URL without credentials: where a dead letter of an event the endpoint refused was sent. */
    private final String destination;
    private final HttpClient client;
    private volatile boolean reached;
    /** POSTs the endpoint accepted, whole batches and parts: what "accepted something in between" compares. */
    private long acceptedPosts;
    /**
     * Event id to {@link #acceptedPosts} when the endpoint refused that event alone. In memory only: after a
     * restart an event has to be refused alone twice again. Used by the uplink thread only.
     */
    private final Map<String, Long> refusedOnce = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REFUSED_ONCE_MAX;
        }
    };

    public HttpUplinkTarget(UplinkConfig config) {
        this.uri = URI.create(config.url());
        this.agent = config.clientId();
        this.headers = config.headers();
        this.timeout = config.timeout();
        this.gzip = config.gzip();
        this.successCodes = Set.copyOf(config.successCodes());
        this.refusedCodes = Set.copyOf(config.refusedCodes());
        this.destination = Uplink.withoutCredentials(config.url());
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        SSLContext ssl = PemTls.context(config.tls());
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
        // Fail at start, not at the first upload, on a header the JDK client refuses to set (Host, Content-Length).
        HttpRequest.Builder probe = HttpRequest.newBuilder(uri);
        for (String name : headers.keySet()) {
            try {
                probe.setHeader(name, "x");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("uplink.headers." + name + " cannot be set by the agent: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void start() {
        // Connections are opened per request by the JDK client and kept alive between batches.
    }

    @Override
    public long send(UplinkBatch batch) throws UplinkException, RejectedEventsException, InterruptedException {
        Answer answer = post(batch);
        if (answer.accepted()) {
            return answer.bytes();
        }
        if (!refusedCodes.contains(answer.status())) {
            throw answer.failure(describe());
        }
        Split split = new Split(batch);
        if (batch.size() == 1) {
            split.refusedAlone(batch.events().get(0), answer);
        } else {
            split.halves(batch.events());
            split.probeNewest();
        }
        return split.outcome();
    }

    /**
     * Finds the events of a refused batch that the endpoint refuses on their own: sends the two halves, older first
     * (so the accepted parts arrive in seq order), and the halves of a refused half, down to single events. An event
     * refused alone becomes a dead letter only when it was refused alone before and the endpoint accepted something
     * in between: one refusal proves little when the endpoint may be failing as a whole (a faulty deployment, a bad
     * instance behind a load balancer answering 400 to everything). Until then it stays in the outbox. A split that
     * has accepted nothing after {@link #refusalBudget} requests stops, after one {@link #probeNewest probe}. A part
     * that fails otherwise (a 503, a timeout) fails the attempt, and the whole batch is sent again: the parts accepted
     * so far arrive twice, as after any lost confirmation (docs/uplink.md).
     */
    private final class Split {

        private final UplinkBatch batch;
        private final int budget;
        private final List<Rejection> rejected = new ArrayList<>();
        private final List<BufferedEvent> kept = new ArrayList<>();
        /** Parts not sent because the budget ran out with nothing accepted: they stay in the outbox. */
        private final List<BufferedEvent> untried = new ArrayList<>();
        private int acceptedEvents;
        private long bytes;
        private int requests = 1;
        private String firstRefusal = "";

        Split(UplinkBatch batch) {
            this.batch = batch;
            this.budget = refusalBudget(batch.size());
        }

        void halves(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            int mid = events.size() / 2;
            part(events.subList(0, mid));
            part(events.subList(mid, events.size()));
        }

        private void part(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            if (acceptedEvents == 0 && requests >= budget) {
                untried.addAll(events);
            } else {
                attempt(events);
            }
        }

        private void attempt(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            requests++;
            Answer answer = post(UplinkBatch.of(events, batch.backlog()));
            if (answer.accepted()) {
                acceptedEvents += events.size();
                bytes += answer.bytes();
            } else if (!refusedCodes.contains(answer.status())) {
                throw answer.failure(describe());
            } else if (events.size() == 1) {
                refusedAlone(events.get(0), answer);
            } else {
                halves(events);
            }
        }

        /**
         * When the budget ran out with nothing accepted, one more request tells a broken endpoint from a long run of
         * refused events at the start of the batch: the newest untried event that the endpoint has not refused alone
         * before (or else the newest), alone. In strict order every attempt sends the same oldest events, so each
         * refused probe moves the next attempt's probe one event back. Accepted, it arrives ahead of the older events
         * of its batch, and the events refused so far become dead letters when next refused alone; without it a batch
         * that always starts with the same run would never see an acceptance.
         */
        void probeNewest() throws UplinkException, InterruptedException {
            if (acceptedEvents > 0 || untried.isEmpty()) {
                return;
            }
            int probe = untried.size() - 1;
            for (int k = probe; k >= 0; k--) {
                if (!refusedOnce.containsKey(untried.get(k).id())) {
                    probe = k;
                    break;
                }
            }
            attempt(List.of(untried.remove(probe)));
        }

        void refusedAlone(BufferedEvent event, Answer answer) {
            if (firstRefusal.isEmpty()) {
                firstRefusal = answer.summary();
            }
            Long acceptedBefore = refusedOnce.get(event.id());
            if (acceptedBefore != null && acceptedBefore < acceptedPosts) {
                rejected.add(new Rejection(event, destination, "the endpoint refused the event on its own: "
                        + answer.summary()));
            } else {
                refusedOnce.put(event.id(), acceptedPosts);
                kept.add(event);
            }
        }

        long outcome() throws UplinkException, RejectedEventsException {
            if (acceptedEvents == 0 && rejected.isEmpty()) {
                throw UplinkException.refusedAsItIs("POST to " + describe() + " refused " + batch.size()
                        + (batch.size() == 1 ? " event" : " events and every part of them tried") + " (" + requests
                        + (requests == 1 ? " request; " : " requests; ") + firstRefusal + ")");
            }
            kept.addAll(untried);
            // Forgotten only now: a part that fails otherwise after them sends the whole batch again, and they must
            // still count as refused before.
            rejected.forEach(r -> refusedOnce.remove(r.event().id()));
            if (!rejected.isEmpty() || !kept.isEmpty()) {
                throw new RejectedEventsException(rejected, kept, bytes);
            }
            return bytes;
        }
    }

    /**
     * Requests a split may make without the endpoint accepting anything: enough to go down to the oldest single event
     * and through the oldest 16 events one by one (about 2 log2(size) + 30), so a run of refused events at the start
     * of a batch still finds the events after it; and what an endpoint that refuses everything costs per attempt.
     */
    static int refusalBudget(int batchSize) {
        return 2 * (32 - Integer.numberOfLeadingZeros(batchSize)) + 30;
    }

    /** One POST of a batch (or a part of one). */
    private Answer post(UplinkBatch batch) throws UplinkException, InterruptedException {
        byte[] body = UplinkWire.encode(agent, batch);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .setHeader("Content-Type", "application/json")
                .setHeader("Idempotency-Key", batch.key());
        if (gzip) {
            body = UplinkWire.gzip(body);
            request.setHeader("Content-Encoding", "gzip");
        }
        headers.forEach(request::setHeader);
        ByteArrayOutputStream start = new ByteArrayOutputStream();
        HttpResponse<Void> response = answer(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), start);
        reached = true;
        boolean accepted = successCodes.contains(response.statusCode());
        if (accepted) {
            acceptedPosts++;
        }
        String text = ControlChars.escape(new String(start.toByteArray(), StandardCharsets.UTF_8).strip());
        boolean cut = start.size() >= ERROR_BODY_BYTES || text.length() > ERROR_BODY_CHARS;
        return new Answer(accepted, response.statusCode(),
                cut ? text.substring(0, Math.min(text.length(), ERROR_BODY_CHARS)) + "..." : text, body.length);
    }

    /**
     * Sends the request and keeps the first {@link #ERROR_BODY_BYTES} of the answer's body in {@code start}: the body
     * is only ever shown, and an endpoint that answers with megabytes, or never ends its body, must cost neither the
     * heap nor the uplink thread. The client's own timeout ends at the answer's headers, so the whole exchange,
     * body included, gets twice {@code uplink.timeout}.
     */
    private HttpResponse<Void> answer(HttpRequest request, ByteArrayOutputStream start)
            throws UplinkException, InterruptedException {
        CompletableFuture<HttpResponse<Void>> exchange = client.sendAsync(request, info ->
                HttpResponse.BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
                    int room = ERROR_BODY_BYTES - start.size();
                    if (room > 0) {
                        start.write(bytes, 0, Math.min(room, bytes.length));
                    }
                })));
        try {
            return exchange.get(2 * timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            reached = false;
            Throwable cause = e.getCause();
            throw new UplinkException("POST to " + describe() + " failed: " + describe(cause), cause);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            reached = false;
            throw new UplinkException("POST to " + describe() + " timed out: its answer did not end within "
                    + Durations.format(timeout.multipliedBy(2)));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
    }

    /** What the endpoint answered: {@code text} is the start of its response body, for the log. */
    private record Answer(boolean accepted, int status, String text, long bytes) {

        String summary() {
            return status + (text.isEmpty() ? "" : ": " + text);
        }

        UplinkException failure(String target) {
            return new UplinkException("POST to " + target + " answered " + summary());
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public String describe() {
        return "http " + Uplink.withoutCredentials(uri.toString());
    }

    @Override
    public boolean connected() {
        return reached;
    }

    @Override
    public void close() {
        // The JDK client (Java 17) has no close; its idle connections end with the process or time out.
    }
}
