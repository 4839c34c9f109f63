package io.edgeagent.simulator;

import java.time.Duration;

/**
 * What a finished run did.
 *
 * @param scenario          the scenario's name, or {@code none}
 * @param seed              the seed, to repeat the run
 * @param devices           simulated devices, the scenario's plus the generic ones
 * @param format            the payload format
 * @param maxRate           whether it published as fast as the broker accepted
 * @param messagesPublished messages handed to the MQTT client
 * @param messagesSent      messages the broker confirmed
 * @param errors            messages that failed or were still unconfirmed at the end
 * @param malformed         malformed payloads published (a correct agent dead-letters them)
 * @param duplicates        duplicate copies published
 * @param outOfOrder        messages published after their successor
 * @param elapsed           wall-clock time from the first publish to the last confirmation
 * @param achievedRate      confirmed messages per second over {@code elapsed}
 * @param stoppedEarly      whether {@link Simulator#stop()} ended the run before its duration or message limit
 * @param lastError         the most recent error's description, or null
 */
public record SimulationSummary(String scenario, long seed, int devices, PayloadFormat format, boolean maxRate,
                                long messagesPublished, long messagesSent, long errors, long malformed,
                                long duplicates, long outOfOrder, Duration elapsed, double achievedRate,
                                boolean stoppedEarly, String lastError) {
}
