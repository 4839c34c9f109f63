package io.edgeagent.cli;

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

    /** Prints an error answer; for a rejected rule, every problem. */
    int failed(AdminClient.Response response) {
        err().println("edge-agent: " + response.error());
        response.body().path("problems").forEach(p -> err().println("  " + p.asText()));
        return response.status() == 422 ? ExitCodes.CONFIG : ExitCodes.FAILURE;
    }
}
