package io.edgeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.config.AgentConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Base of the commands that talk to the running agent: finds its admin API through the configuration, prints
 * failures as one sentence on stderr, and maps them to exit codes.
 */
abstract class AdminCommand extends PrintingCommand implements Callable<Integer> {

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

    /** Prints one answer of the agent as a person reads it. */
    @FunctionalInterface
    interface Table {
        void print(JsonNode body);
    }

    /**
     * The one way a command shows an answer: a status other than {@code expected} is a failure ({@link #failed}); with
     * {@code --json} the agent's JSON is printed as it came, otherwise {@code table} prints it.
     */
    int answer(AdminClient.Response response, int expected, Table table) {
        if (response.status() != expected) {
            return failed(response);
        }
        if (json) {
            out().println(JsonOutput.pretty(response.body()));
        } else {
            table.print(response.body());
        }
        return ExitCodes.OK;
    }

    /** Prints an error answer; for a rejected rule, every problem. */
    int failed(AdminClient.Response response) {
        err().println("edge-agent: " + response.error());
        response.body().path("problems").forEach(p -> err().println("  " + p.asText()));
        return response.status() == 422 ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    }
}
