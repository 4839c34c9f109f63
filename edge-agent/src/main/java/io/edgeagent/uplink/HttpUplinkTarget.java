package io.edgeagent.uplink;

import io.edgeagent.config.Durations;
import io.edgeagent.config.UplinkConfig;
import io.edgeagent.logtext.ControlChars;
import io.edgeagent.tls.PemTls;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * it is: it is split to find the events the endpoint refuses on their own, which become dead letters ({@link RefusalSearch}).
 * Any other status, a connection error or a timeout is a failure and the batch is sent again later. Configured
 * headers (often a token) are sent but never logged.
 */
public final class HttpUplinkTarget implements UplinkTarget {

    /** How much of an error response goes into the log line: enough for a reason, not a whole HTML page. */
    private static final int ERROR_BODY_CHARS = 200;
    /** How much of a response body is kept at all, at up to four bytes a character. */
    private static final int ERROR_BODY_BYTES = 4 * ERROR_BODY_CHARS;
    private final URI uri;
    private final String agent;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final boolean gzip;
    private final Set<Integer> successCodes;
    private final Set<Integer> refusedCodes;
    private final HttpClient client;
    private volatile boolean reached;
    /** What the endpoint refused before, and the search of a batch it refuses as it is. */
    private final RefusalSearch refusals;

    public HttpUplinkTarget(UplinkConfig config) {
        this.uri = URI.create(config.url());
        this.agent = config.clientId();
        this.headers = config.headers();
        this.timeout = config.timeout();
        this.gzip = config.gzip();
        this.successCodes = Set.copyOf(config.successCodes());
        this.refusedCodes = Set.copyOf(config.refusedCodes());
        this.refusals = new RefusalSearch(Uplink.withoutCredentials(config.url()), describe());
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
        RefusalSearch.Answer answer = post(batch);
        return answer.accepted() ? answer.bytes() : refusals.search(batch, answer, this::post);
    }

    /**
     * One POST of a batch (or a part of one): its answer when the endpoint accepted it or refused it as it is (a
     * status in {@code uplink.refusedCodes}); any other answer is a failure.
     */
    private RefusalSearch.Answer post(UplinkBatch batch) throws UplinkException, InterruptedException {
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
        String text = ControlChars.escape(new String(start.toByteArray(), StandardCharsets.UTF_8).strip());
        if (start.size() >= ERROR_BODY_BYTES || text.length() > ERROR_BODY_CHARS) {
            text = text.substring(0, Math.min(text.length(), ERROR_BODY_CHARS)) + "...";
        }
        String summary = response.statusCode() + (text.isEmpty() ? "" : ": " + text);
        if (successCodes.contains(response.statusCode())) {
            refusals.accepted();
            return new RefusalSearch.Answer(true, summary, body.length);
        }
        if (refusedCodes.contains(response.statusCode())) {
            return new RefusalSearch.Answer(false, summary, body.length);
        }
        throw new UplinkException("POST to " + describe() + " answered " + summary);
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
