package io.edgeagent.actions;

import io.edgeagent.config.HttpAction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Runs an {@code http} step with the JDK client: rendered URL and body, headers as configured (their values are never
 * logged or recorded: they often hold tokens), the step's timeout on connect and on the whole request. Blocks the
 * calling action thread. Thread-safe.
 */
final class HttpStep {

    private static final int MAX_RESPONSE_CHARS = 2048;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** @return the status and the start of the response body */
    String run(HttpAction http, Map<String, Object> fields, Duration timeout) throws StepFailure, InterruptedException {
        String url = Template.url(http.url(), fields);
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        } catch (IllegalArgumentException e) {
            throw new StepFailure("bad URL " + url + ": " + e.getMessage());
        }
        if (http.body() != null) {
            body = HttpRequest.BodyPublishers.ofString(Template.json(http.body(), fields), StandardCharsets.UTF_8);
            request.header("Content-Type", "application/json");
        }
        for (Map.Entry<String, String> header : http.headers().entrySet()) {
            request.setHeader(header.getKey(), header.getValue());
        }
        request.method(http.method(), body);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new StepFailure(http.method() + " " + url + " got no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new StepFailure(http.method() + " " + url + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        String answer = response.body() == null ? "" : response.body();
        String output = "HTTP " + response.statusCode() + " "
                + (answer.length() > MAX_RESPONSE_CHARS ? answer.substring(0, MAX_RESPONSE_CHARS) : answer);
        if (!http.succeeded(response.statusCode())) {
            throw new StepFailure(http.method() + " " + url + " answered " + response.statusCode(), output);
        }
        return output;
    }
}
