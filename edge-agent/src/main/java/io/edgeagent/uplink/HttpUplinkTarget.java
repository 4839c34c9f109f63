package io.edgeagent.uplink;

import io.edgeagent.config.UplinkConfig;
import io.edgeagent.tls.PemTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * POSTs each batch as one JSON document ({@link UplinkWire}) with an {@code Idempotency-Key} header (the batch key),
 * optionally gzipped with {@code Content-Encoding: gzip}. A batch counts as delivered only on a status listed in
 * {@code uplink.successCodes}; any other status, a connection error or a timeout is a failure and the batch is sent
 * again later. Configured headers (often a token) are sent but never logged.
 */
public final class HttpUplinkTarget implements UplinkTarget {

    /** How much of an error response goes into the log line: enough for a reason, not a whole HTML page. */
    private static final int ERROR_BODY_CHARS = 200;

    private final URI uri;
    private final String agent;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final boolean gzip;
    private final Set<Integer> successCodes;
    private final HttpClient client;
    private volatile boolean reached;

    public HttpUplinkTarget(UplinkConfig config) {
        this.uri = URI.create(config.url());
        this.agent = config.clientId();
        this.headers = config.headers();
        this.timeout = config.timeout();
        this.gzip = config.gzip();
        this.successCodes = Set.copyOf(config.successCodes());
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
    public long send(UplinkBatch batch) throws UplinkException, InterruptedException {
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
        if (!successCodes.contains(response.statusCode())) {
            String text = response.body() == null ? "" : response.body().strip();
            throw new UplinkException("POST to " + describe() + " answered " + response.statusCode()
                    + (text.isEmpty() ? "" : ": " + (text.length() > ERROR_BODY_CHARS
                    ? text.substring(0, ERROR_BODY_CHARS) + "..." : text)));
        }
        return body.length;
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
