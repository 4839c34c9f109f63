package io.edgeagent.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeagent.config.AdminConfig;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.Problem;
import io.edgeagent.metrics.PrometheusText;
import io.edgeagent.threads.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local admin HTTP API (docs/admin-api.md). {@code /health}, {@code /ready} and {@code /metrics} answer without a
 * token (probes and Prometheus on the same host); everything under {@code /api/} needs the bearer token. Binds to
 * loopback unless configured otherwise. Two named threads with a bounded queue: a flood of requests cannot starve the
 * pipeline.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_BODY_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AdminBackend backend;
    private final AdminToken token;

    public AdminServer(AdminConfig config, AdminToken token, AdminBackend backend) throws IOException {
        this.backend = backend;
        this.token = token;
        try {
            this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 16);
        } catch (BindException e) {
            throw new AdminPortInUseException(config.bind() + ":" + config.port());
        }
        this.executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(50),
                new NamedThreads("edge-admin"), new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        LOG.info("Admin API listening on http://{}:{}/ (token required under /api/).",
                server.getAddress().getHostString(), port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/health" -> json(exchange, 200, Map.of("status", "up"));
                case "/ready" -> {
                    boolean ready = backend.ready();
                    json(exchange, ready ? 200 : 503, Map.of("ready", ready));
                }
                case "/metrics" -> metrics(exchange);
                default -> {
                    if (!path.startsWith("/api/")) {
                        error(exchange, 404, "no such endpoint: " + path);
                    } else if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                        error(exchange, 401, "missing or wrong bearer token (see admin.tokenFile)");
                    } else {
                        api(exchange, method, path.substring("/api/".length()));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Admin request {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            error(exchange, 500, "internal error: " + e.getMessage());
        }
    }

    private void api(HttpExchange exchange, String method, String path) throws IOException {
        String[] parts = path.split("/");
        String resource = parts[0];
        String name = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        String verb = parts.length > 2 ? parts[2] : null;
        try {
            if (resource.equals("status") && method.equals("GET") && name == null) {
                json(exchange, 200, backend.status());
            } else if (resource.equals("buffer") && method.equals("GET") && name == null) {
                json(exchange, 200, backend.buffer());
            } else if (resource.equals("dead-letters") && method.equals("GET") && name == null) {
                json(exchange, 200, backend.deadLetters(limit(exchange)));
            } else if (resource.equals("rules")) {
                rules(exchange, method, name, verb);
            } else if (resource.equals("actions")) {
                actions(exchange, method, parts);
            } else {
                error(exchange, 404, "no such endpoint: /api/" + path);
            }
        } catch (ConfigException e) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", "the rule was rejected");
            body.put("problems", e.problems().stream().map(Problem::describe).toList());
            json(exchange, 422, body);
        }
    }

    private void rules(HttpExchange exchange, String method, String name, String verb)
            throws IOException, ConfigException {
        if (name == null) {
            if (method.equals("GET")) {
                json(exchange, 200, backend.rules());
            } else {
                error(exchange, 405, "use GET /api/rules, or PUT /api/rules/NAME with the rule file as the body");
            }
            return;
        }
        if (verb != null) {
            if (!method.equals("POST") || !(verb.equals("enable") || verb.equals("disable"))) {
                error(exchange, 405, "use POST /api/rules/" + name + "/enable or /disable");
            } else if (backend.setRuleEnabled(name, verb.equals("enable"))) {
                json(exchange, 200, backend.rule(name).orElseThrow());
            } else {
                error(exchange, 404, "no rule named " + name);
            }
            return;
        }
        switch (method) {
            case "GET" -> {
                Optional<RuleView> rule = backend.rule(name);
                if (rule.isPresent()) {
                    json(exchange, 200, rule.get());
                } else {
                    error(exchange, 404, "no rule named " + name);
                }
            }
            case "PUT" -> {
                String yaml = body(exchange);
                if (yaml == null) {
                    error(exchange, 413, "a rule file may be at most " + MAX_BODY_BYTES + " bytes");
                } else {
                    json(exchange, 200, backend.putRule(name, yaml));
                }
            }
            case "DELETE" -> {
                if (backend.deleteRule(name)) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    error(exchange, 404, "no rule named " + name);
                }
            }
            default -> error(exchange, 405, "use GET, PUT or DELETE on /api/rules/" + name);
        }
    }

    /** {@code GET actions/runs}, {@code GET actions/failed}, {@code GET actions/runs/ID}, {@code POST actions/runs/ID/retry}. */
    private void actions(HttpExchange exchange, String method, String[] parts) throws IOException {
        String what = parts.length > 1 ? parts[1] : "";
        if (parts.length == 2 && method.equals("GET") && what.equals("runs")) {
            json(exchange, 200, backend.actionRuns(limit(exchange)));
            return;
        } else if (parts.length == 2 && method.equals("GET") && what.equals("failed")) {
            json(exchange, 200, backend.failedActionRuns(limit(exchange)));
            return;
        } else if (!what.equals("runs") || parts.length < 3 || parts.length > 4) {
            error(exchange, 404, "no such endpoint: /api/" + String.join("/", parts));
            return;
        }
        long id;
        try {
            id = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            error(exchange, 400, "expected a run id (a number), found " + parts[2]);
            return;
        }
        if (parts.length == 3 && method.equals("GET")) {
            Optional<ActionRunView> run = backend.actionRun(id);
            if (run.isPresent()) {
                json(exchange, 200, run.get());
            } else {
                error(exchange, 404, "no action run " + id);
            }
        } else if (parts.length == 4 && parts[3].equals("retry") && method.equals("POST")) {
            try {
                Optional<ActionRunView> retried = backend.retryActionRun(id);
                if (retried.isPresent()) {
                    json(exchange, 202, retried.get());
                } else {
                    error(exchange, 404, "no action run " + id);
                }
            } catch (IllegalStateException e) {
                error(exchange, 409, e.getMessage());
            }
        } else {
            error(exchange, 405, "use GET /api/actions/runs/" + id + " or POST /api/actions/runs/" + id + "/retry");
        }
    }

    private static int limit(HttpExchange exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("limit=")) {
                    try {
                        return Math.max(1, Math.min(1000, Integer.parseInt(pair.substring("limit=".length()))));
                    } catch (NumberFormatException e) {
                        return 20;
                    }
                }
            }
        }
        return 20;
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            return bytes.length > MAX_BODY_BYTES ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        send(exchange, 200, PrometheusText.CONTENT_TYPE,
                PrometheusText.render(backend.metrics()).getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        json(exchange, status, Map.of("error", message));
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
    }

}
