package io.edgeagent.cli;

import io.edgeagent.admin.StatusView;
import picocli.CommandLine.Command;

@Command(name = "status", description = {"Show the running agent's state: broker connection, events in, rules, "
        + "actions and buffer.", "Exit codes: 0 the agent answered, 1 it is not running or refused the token."})
final class StatusCommand extends AdminCommand {

    @Override
    int run(AdminClient client) throws AdminClient.AdminException {
        return answer(client.get("/api/status"), 200, StatusView.class, this::print);
    }

    private void print(StatusView s) {
        StatusView.Broker broker = s.broker();
        StatusView.Ingest ingest = s.ingest();
        StatusView.Rules rules = s.rules();
        StatusView.Actions actions = s.actions();
        StatusView.Buffer buffer = s.buffer();
        out().printf("edge-agent %s, up %s, %s%n", s.version(), uptime(s.uptimeSeconds()),
                s.ready() ? "ready" : "NOT READY");
        out().printf("broker   %s as %s: %s%s%n", broker.url(), broker.clientId(), broker.state(),
                lastError(broker.lastError()));
        out().printf("ingest   %d messages, %d events, %d dead letters, %d queued%n", ingest.messages(),
                ingest.events(), ingest.decodeErrors(), ingest.queued());
        out().printf("rules    %d running, %d disabled, %d rejected files; %d firings%n", rules.running(),
                rules.disabled(), rules.rejectedFiles(), rules.fired());
        out().printf("actions  %d ok, %d failed, %d refused, %d deduplicated; runs: %d succeeded, %d failed%n",
                actions.ok(), actions.failed(), actions.refused(), actions.deduplicated(), actions.runsSucceeded(),
                actions.runsFailed());
        out().printf("buffer   %d events waiting for upload (%.1f MB), oldest %s, %d dropped, %d dead letters%n",
                buffer.events(), buffer.fileBytes() / 1048576.0,
                buffer.oldest() == null ? "-" : buffer.oldest() + " (" + uptime(buffer.oldestAgeSeconds()) + " ago)",
                buffer.dropped(), buffer.deadLetters());
        if (buffer.lost() > 0) {
            out().printf("         %d events lost to a damaged buffer file (docs/operations.md, Damaged buffer files)%n",
                    buffer.lost());
        }
        if (s.uplink() instanceof StatusView.Enabled uplink) {
            out().printf("uplink   %s: %s, %d events sent (%.0f/s now), %d failed attempts%s%n", uplink.target(),
                    uplink.connected() ? "reachable" : "UNREACHABLE", uplink.sentEvents(), uplink.eventsPerSecond(),
                    uplink.failedAttempts(), lastError(uplink.lastError()));
        } else {
            out().println("uplink   disabled: events stay in the buffer");
        }
    }

    private static String lastError(String error) {
        return error == null || error.isEmpty() ? "" : " (last error: " + error + ")";
    }

    static String uptime(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        } else if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        } else if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds / 60 % 60 + "m";
        }
        return seconds / 86400 + "d " + seconds / 3600 % 24 + "h";
    }
}
