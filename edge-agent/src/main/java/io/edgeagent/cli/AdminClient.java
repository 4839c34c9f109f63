package io.edgeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.admin.AdminToken;
import io.edgeagent.config.AdminConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;

/**
 * Talks to the running agent's admin API, turning every way that can fail into one sentence a person can act on
 * (agent not running, wrong token, unreadable token file, timeout).
 */
final class AdminClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A failure already phrased for the user; commands print it and exit with {@link ExitCodes#FAILURE}. */
    static final class AdminException extends Exception {
        AdminException(String message) {
            super(message, null, false, false);
        }
    }

    /** An answer of the API: its HTTP status and JSON body. */
    record Response(int status, JsonNode body) {
        String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    private final String baseUrl;
    private final AdminConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    AdminClient(AdminConfig config) {
        this.config = config;
        String host = config.bind().equals("0.0.0.0") || config.bind().equals("::") ? "127.0.0.1" : config.bind();
        this.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.port();
    }

    Response get(String path) throws AdminException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response put(String path, String body) throws AdminException {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/yaml"));
    }

    Response post(String path) throws AdminException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    Response delete(String path) throws AdminException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    private Response send(HttpRequest.Builder request) throws AdminException {
        String token = token();
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() == 401) {
                throw new AdminException("The agent at " + baseUrl + " refused the token in " + config.tokenFile()
                        + ": it is not the running agent's token (is --config the agent's configuration?).");
            }
            return new Response(response.statusCode(), body);
        } catch (ConnectException e) {
            throw new AdminException("edge-agent is not running, or its admin API is not at " + baseUrl
                    + " (connection refused). Start it with 'edge-agent run', or check admin.port in the configuration.");
        } catch (HttpTimeoutException e) {
            throw new AdminException("The agent at " + baseUrl + " did not answer within " + TIMEOUT.toSeconds() + " s.");
        } catch (IOException e) {
            throw new AdminException("Cannot talk to the agent at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("Interrupted.");
        }
    }

    private String token() throws AdminException {
        try {
            return AdminToken.read(config.tokenFile()).value();
        } catch (NoSuchFileException e) {
            throw new AdminException("The admin token file " + config.tokenFile() + " does not exist: the agent creates "
                    + "it on its first start. Is the agent running with this configuration?");
        } catch (AccessDeniedException e) {
            throw new AdminException("Cannot read the admin token file " + config.tokenFile()
                    + " (permission denied): run as the agent's user, e.g. 'sudo -u edge-agent edge-agent ...'.");
        } catch (IOException e) {
            throw new AdminException("Cannot read the admin token file " + config.tokenFile() + ": " + e.getMessage());
        }
    }
}
