package io.edgeagent.admin;

/**
 * The admin API's address is taken (another agent, or any other program): found before the agent connects or compiles
 * anything, so the person sees it at once, in one line.
 */
public final class AdminPortInUseException extends RuntimeException {

    public AdminPortInUseException(String address) {
        super("the admin API's address " + address + " is already in use (another edge-agent running, or another "
                + "program on that port); stop it or set admin.port to a free port");
    }
}
