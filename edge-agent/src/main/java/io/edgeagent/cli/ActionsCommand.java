package io.edgeagent.cli;

import io.edgeagent.admin.ActionRunView;
import io.edgeagent.logtext.ControlChars;
import java.util.List;
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
            return answerList(client.get(path() + "?limit=" + limit), 200, ActionRunView.class, this::print);
        }

        private void print(List<ActionRunView> runs) {
            if (runs.isEmpty()) {
                out().println("no action runs");
            }
            for (ActionRunView run : runs) {
                out().printf("%-6d %-11s %-24s %-16s %s%s%n", run.id(), run.status(), shown(run.rule()),
                        shown(run.key()), run.started(), run.error() == null ? "" : "  " + shown(run.error()));
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
            return answer(client.get("/api/actions/runs/" + id), 200, ActionRunView.class, this::print);
        }

        private void print(ActionRunView run) {
            out().printf("run %d of rule %s for %s: %s%n", run.id(), shown(run.rule()), shown(run.key()), run.status());
            out().printf("started %s, ended %s%n", run.started(), run.ended() == null ? "-" : run.ended());
            if (run.error() != null) {
                out().println("error   " + shown(run.error()));
            }
            if (run.retryOf() != null) {
                out().println("retry of run " + run.retryOf());
            }
            if (run.retriedBy() != null) {
                out().println("retried by run " + run.retriedBy());
            }
            out().println("fields  " + ControlChars.escape(JsonOutput.line(run.fields())));
            for (ActionRunView.Step step : run.steps() == null ? List.<ActionRunView.Step>of() : run.steps()) {
                out().printf("step %-6s %-8s %-7s %d attempt(s), %d ms%s%n", step.path(), step.type(), step.outcome(),
                        step.attempts(), step.durationMs(), step.error() == null ? "" : ": " + shown(step.error()));
                String output = step.output() == null ? "" : step.output();
                if (!output.isBlank()) {
                    output.lines().forEach(line -> out().println("    | " + ControlChars.escape(line)));
                }
            }
        }
    }

    /** Text that devices may have shaped (keys, errors quoting values): one line, no terminal controls. */
    static String shown(String text) {
        return ControlChars.escape(String.valueOf(text));
    }

    @Command(name = "retry", description = {"Run a recorded action run again: its rule's current steps with the recorded "
            + "fields, as a new run.", "Exit codes: 0 started, 1 no such run, it cannot be retried now, or the agent "
            + "is not running."})
    static final class Retry extends AdminCommand {

        @Parameters(paramLabel = "ID", description = "The run's id (from 'actions runs' or 'actions failed').")
        long id;

        @Override
        int run(AdminClient client) throws AdminClient.AdminException {
            return answer(client.post("/api/actions/runs/" + id + "/retry"), 202, ActionRunView.class,
                    run -> out().printf("run %d retried as run %d%n", id, run.id()));
        }
    }
}
