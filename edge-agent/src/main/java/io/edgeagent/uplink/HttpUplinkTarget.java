package io.edgeagent.uplink;

import io.edgeagent.config.UplinkConfig;
import io.edgeagent.event.BufferedEvent;
import io.edgeagent.tls.PemTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    /**
     * Single events refused, with nothing accepted, after which a split gives up: the endpoint refuses everything.
     * Eight bad events in a row at the oldest end of the outbox would wait like that too; fewer than eight cost a
     * broken endpoint fewer requests per attempt (about log2(batch) + 12) but make that wait likelier.
     */
    static final int GIVE_UP_AFTER = 8;

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
        Split split = new Split();
        if (batch.size() == 1) {
            split.refused(batch.events().get(0), answer);
        } else {
            split.halves(batch.events(), batch.backlog());
        }
        return split.outcome(batch);
    }

    /**
     * Finds the events of a refused batch that the endpoint refuses on their own: sends the two halves, older first
     * (so a receiver still gets the events in seq order), and the halves of a refused half, down to single events.
     * The endpoint must accept some of the batch before any event is given up on: after {@link #GIVE_UP_AFTER} single
     * events refused and none accepted it looks broken (a faulty deployment answers 400 to everything), nothing
     * becomes a dead letter, and the attempt fails as refused as it is. A part that fails otherwise (a 503, a timeout)
     * fails the attempt, and the whole batch is sent again: the parts accepted so far arrive twice, as after any lost
     * confirmation (docs/uplink.md).
     */
    private final class Split {

        private final List<Rejection> refused = new ArrayList<>();
        private int acceptedEvents;
        private long bytes;
        private int requests = 1;
        private String firstRefusal = "";

        void halves(List<BufferedEvent> events, boolean backlog) throws UplinkException, InterruptedException {
            int mid = events.size() / 2;
            part(events.subList(0, mid), backlog);
            part(events.subList(mid, events.size()), backlog);
        }

        private void part(List<BufferedEvent> events, boolean backlog) throws UplinkException, InterruptedException {
            if (refusesEverything()) {
                return;
            }
            requests++;
            Answer answer = post(UplinkBatch.of(events, backlog));
            if (answer.accepted()) {
                acceptedEvents += events.size();
                bytes += answer.bytes();
            } else if (!refusedCodes.contains(answer.status())) {
                throw answer.failure(describe());
            } else if (events.size() == 1) {
                refused(events.get(0), answer);
            } else {
                halves(events, backlog);
            }
        }

        void refused(BufferedEvent event, Answer answer) {
            if (refused.isEmpty()) {
                firstRefusal = answer.summary();
            }
            refused.add(new Rejection(event, destination, "the endpoint refused the event on its own: "
                    + answer.summary()));
        }

        private boolean refusesEverything() {
            return acceptedEvents == 0 && refused.size() >= GIVE_UP_AFTER;
        }

        long outcome(UplinkBatch batch) throws UplinkException, RejectedEventsException {
            if (acceptedEvents == 0) {
                throw UplinkException.refusedAsItIs("POST to " + describe() + " refused " + batch.size()
                        + " events and every part of them tried (" + requests + " requests; " + firstRefusal + ")");
            }
            if (!refused.isEmpty()) {
                throw new RejectedEventsException(refused, bytes);
            }
            return bytes;
        }
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
        HttpResponse<String> response;
        try {
            response = client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            reached = false;
            throw new UplinkException("POST to " + describe() + " failed: " + describe(e), e);
        }
        reached = true;
        String text = response.body() == null ? "" : response.body().strip();
        return new Answer(successCodes.contains(response.statusCode()), response.statusCode(),
                text.length() > ERROR_BODY_CHARS ? text.substring(0, ERROR_BODY_CHARS) + "..." : text, body.length);
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

    private static String describe(IOException e) {
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
