package io.edgeagent.simulator;

/** A simulation could not run, e.g. the broker is unreachable or refused the credentials. The message says why. */
public class SimulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
