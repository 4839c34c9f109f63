package io.edgeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeagent.logtext.ControlChars;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edge-agent actions runs|failed|show ID|retry ID}: the running agent's action runs and their dead-letter record
 * (docs/actions.md), through the admin API.
 */
@Command(name = "actions", description = "Show the running agent's action runs, list failed ones and retry them.",
        subcommands = {ActionsCommand.Runs.class, ActionsCommand.Failed.class, ActionsCommand.Show.class,
                ActionsCommand.Retry.class})
final class ActionsCommand {

    /** Prints a list of runs, one line each, or the JSON answer. */
    abstract static class Listing extends AdminCommand {

        @Option(names = "--limit", defaultValue = "20", description = "How many runs to show, newest first (default 20).")
        int limit;

        abstract String path();

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.get(path() + "?limit=" + limit), 200, this::print);
        }

        private void print(JsonNode runs) {
            if (runs.isEmpty()) {
                out().println("no action runs");
            }
            for (JsonNode run : runs) {
                out().printf("%-6d %-11s %-24s %-16s %s%s%n", run.path("id").asLong(), run.path("status").asText(),
                        shown(run.path("rule")), shown(run.path("key")), run.path("started").asText(),
                        run.path("error").isNull() ? "" : "  " + shown(run.path("error")));
            }
        }
    }

    @Command(name = "runs", description = {"List the newest action runs.",
            "Exit codes: 0 the agent answered, 1 it is not running or refused the token."})
    static final class Runs extends Listing {
        @Override
        String path() {
            return "/api/actions/runs";
        }
    }

    @Command(name = "failed", description = {"List failed and interrupted action runs (the dead-letter record).",
            "Exit codes: 0 the agent answered, 1 it is not running or refused the token."})
    static final class Failed extends Listing {
        @Override
        String path() {
            return "/api/actions/failed";
        }
    }

    @Command(name = "show", description = {"Show one action run with each step's attempts, outcome, error and output.",
            "Exit codes: 0 the agent answered, 1 no such run or the agent is not running."})
    static final class Show extends AdminCommand {

        @Parameters(paramLabel = "ID", description = "The run's id.")
        long id;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.get("/api/actions/runs/" + id), 200, this::print);
        }

        private void print(JsonNode run) {
            out().printf("run %d of rule %s for %s: %s%n", run.path("id").asLong(), shown(run.path("rule")),
                    shown(run.path("key")), run.path("status").asText());
            out().printf("started %s, ended %s%n", run.path("started").asText(), run.path("ended").asText("-"));
            if (!run.path("error").isNull()) {
                out().println("error   " + shown(run.path("error")));
            }
            if (!run.path("retryOf").isNull()) {
                out().println("retry of run " + run.path("retryOf").asLong());
            }
            if (!run.path("retriedBy").isNull()) {
                out().println("retried by run " + run.path("retriedBy").asLong());
            }
            out().println("fields  " + ControlChars.escape(run.path("fields").toString()));
            for (JsonNode step : run.path("steps")) {
                out().printf("step %-6s %-8s %-7s %d attempt(s), %d ms%s%n", step.path("path").asText(),
                        step.path("type").asText(), step.path("outcome").asText(), step.path("attempts").asInt(),
                        step.path("durationMs").asLong(),
                        step.path("error").isNull() ? "" : ": " + shown(step.path("error")));
                String output = step.path("output").asText("");
                if (!output.isBlank()) {
                    output.lines().forEach(line -> out().println("    | " + ControlChars.escape(line)));
                }
            }
        }
    }

    /** Text that devices may have shaped (keys, errors quoting values): one line, no terminal controls. */
    static String shown(JsonNode text) {
        return ControlChars.escape(text.asText());
    }

    @Command(name = "retry", description = {"Run a recorded action run again: its rule's current steps with the recorded "
            + "fields, as a new run.", "Exit codes: 0 started, 1 no such run, it cannot be retried now, or the agent "
            + "is not running."})
    static final class Retry extends AdminCommand {

        @Parameters(paramLabel = "ID", description = "The run's id (from 'actions runs' or 'actions failed').")
        long id;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.post("/api/actions/runs/" + id + "/retry"), 202,
                    run -> out().printf("run %d retried as run %d%n", id, run.path("id").asLong()));
        }
    }
}
