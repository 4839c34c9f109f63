package io.edgeagent.simulator;

/** Why a message was published: normally, or as one of the faults a scenario injects. */
public enum MessageKind {
    /** A well-formed message published once, in order. */
    NORMAL,
    /** A payload that a correct agent cannot decode and dead-letters. */
    MALFORMED,
    /** The second, byte-identical copy of the message before it. */
    DUPLICATE,
    /** A message held back and published after its successor, so its event time is older. */
    OUT_OF_ORDER
}
