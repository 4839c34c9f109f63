package io.edgeagent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

@Command(name = "status", description = {"Show the running agent's state: broker connection, events in, rules, "
        + "actions and buffer.", "Exit codes: 0 the agent answered, 1 it is not running or refused the token."})
final class StatusCommand extends AdminCommand {

    @Override
    int run(AdminClient client) throws AdminClient.AdminException {
        return answer(client.get("/api/status"), 200, this::print);
    }

    private void print(JsonNode s) {
        JsonNode broker = s.path("broker");
        JsonNode ingest = s.path("ingest");
        JsonNode rules = s.path("rules");
        JsonNode actions = s.path("actions");
        JsonNode buffer = s.path("buffer");
        out().printf("edge-agent %s, up %s, %s%n", s.path("version").asText(), uptime(s.path("uptimeSeconds").asLong()),
                s.path("ready").asBoolean() ? "ready" : "NOT READY");
        out().printf("broker   %s as %s: %s%s%n", broker.path("url").asText(), broker.path("clientId").asText(),
                broker.path("state").asText(), broker.path("lastError").asText().isEmpty() ? ""
                        : " (last error: " + broker.path("lastError").asText() + ")");
        out().printf("ingest   %d messages, %d events, %d dead letters, %d queued%n", ingest.path("messages").asLong(),
                ingest.path("events").asLong(), ingest.path("decodeErrors").asLong(), ingest.path("queued").asLong());
        out().printf("rules    %d running, %d disabled, %d rejected files; %d firings%n", rules.path("running").asLong(),
                rules.path("disabled").asLong(), rules.path("rejectedFiles").asLong(), rules.path("fired").asLong());
        out().printf("actions  %d ok, %d failed, %d refused, %d deduplicated; runs: %d succeeded, %d failed%n",
                actions.path("ok").asLong(), actions.path("failed").asLong(), actions.path("refused").asLong(),
                actions.path("deduplicated").asLong(), actions.path("runsSucceeded").asLong(),
                actions.path("runsFailed").asLong());
        out().printf("buffer   %d events waiting for upload (%.1f MB), oldest %s, %d dropped, %d dead letters%n",
                buffer.path("events").asLong(), buffer.path("fileBytes").asLong() / 1048576.0,
                buffer.path("oldest").isNull() ? "-" : buffer.path("oldest").asText() + " ("
                        + uptime(buffer.path("oldestAgeSeconds").asLong()) + " ago)",
                buffer.path("dropped").asLong(), buffer.path("deadLetters").asLong());
        if (buffer.path("lost").asLong() > 0) {
            out().printf("         %d events lost to a damaged buffer file (docs/operations.md, Damaged buffer files)%n",
                    buffer.path("lost").asLong());
        }
        JsonNode uplink = s.path("uplink");
        if (uplink.path("enabled").asBoolean()) {
            out().printf("uplink   %s: %s, %d events sent (%.0f/s now), %d failed attempts%s%n",
                    uplink.path("target").asText(), uplink.path("connected").asBoolean() ? "reachable" : "UNREACHABLE",
                    uplink.path("sentEvents").asLong(), uplink.path("eventsPerSecond").asDouble(),
                    uplink.path("failedAttempts").asLong(), uplink.path("lastError").asText().isEmpty() ? ""
                            : " (last error: " + uplink.path("lastError").asText() + ")");
        } else {
            out().println("uplink   disabled: events stay in the buffer");
        }
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
