package io.edgeagent.agent;

/**
 * Where an {@link Agent} is in its life. Each moves only forward: CREATED -> STARTING -> RUNNING -> STOPPING ->
 * STOPPED, or CREATED -> STOPPED for an agent stopped before it started; a stop during STARTING makes the start give
 * up at the next stage and stop what it had started.
 */
public enum AgentState {
    CREATED,
    STARTING,
    RUNNING,
    STOPPING,
    STOPPED
}
