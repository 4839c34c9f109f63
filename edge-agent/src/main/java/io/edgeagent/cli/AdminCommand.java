package io.edgeagent.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeagent.config.AgentConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Base of the commands that talk to the running agent: finds its admin API through the configuration, prints
 * failures as one sentence on stderr, and maps them to exit codes.
 */
abstract class AdminCommand extends PrintingCommand implements Callable<Integer> {

    /** Reads the agent's answers into the admin views; fields a newer agent adds are skipped, not fatal. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "Print the agent's answer as JSON.")
    boolean json;

    @Override
    public final Integer call() {
        AgentConfig loaded = config.loadOrReport(err());
        if (loaded == null) {
            return ExitCodes.CONFIG;
        }
        AdminClient client = new AdminClient(loaded.admin());
        try {
            return run(client);
        } catch (AdminClient.AdminException e) {
            err().println("edge-agent: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }

    abstract int run(AdminClient client) throws AdminClient.AdminException;

    /** Prints one answer of the agent, read into its admin view record, as a person reads it. */
    @FunctionalInterface
    interface Table<T> {
        void print(T view);
    }

    /**
     * The one way a command shows an answer: a status other than {@code expected} is a failure ({@link #failed}); with
     * {@code --json} the agent's JSON is printed as it came, otherwise it is read into {@code view} (a record of
     * io.edgeagent.admin, so a renamed field fails to compile, not to print) and {@code table} prints it.
     */
    <T> int answer(AdminClient.Response response, int expected, Class<T> view, Table<T> table) {
        return answer(response, expected, JSON.constructType(view), table);
    }

    /** {@link #answer} for an answer that is a list of {@code item} views. */
    <T> int answerList(AdminClient.Response response, int expected, Class<T> item, Table<List<T>> table) {
        return answer(response, expected, JSON.getTypeFactory().constructCollectionType(List.class, item), table);
    }

    private <T> int answer(AdminClient.Response response, int expected, JavaType type, Table<T> table) {
        if (response.status() != expected) {
            return failed(response);
        }
        if (json) {
            out().println(JsonOutput.pretty(response.body()));
        } else {
            table.print(read(response.body(), type));
        }
        return ExitCodes.OK;
    }

    private static <T> T read(JsonNode body, JavaType type) {
        try {
            return JSON.readerFor(type).readValue(body);
        } catch (IOException e) {
            throw new IllegalStateException("the agent answered JSON its own views do not read (a different version?): "
                    + e.getMessage(), e);
        }
    }

    /** Prints an error answer; for a rejected rule, every problem. */
    int failed(AdminClient.Response response) {
        err().println("edge-agent: " + response.error());
        response.body().path("problems").forEach(p -> err().println("  " + p.asText()));
        return response.status() == 422 ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    }
}
