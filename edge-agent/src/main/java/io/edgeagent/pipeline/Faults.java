package io.edgeagent.pipeline;

/** Which throwables a stage may contain and carry on after, and how to name one in a single line. */
final class Faults {

    private Faults() {
    }

    /**
     * Errors after which the JVM cannot be trusted to go on: out of memory, internal errors of the VM. A stack overflow
     * is a {@link VirtualMachineError} too, but it unwinds cleanly, and a deeply nested payload must not stop the agent.
     */
    static boolean isFatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    static void rethrowIfFatal(Throwable t) {
        if (isFatal(t)) {
            throw (Error) t;
        }
    }

    /** The class and message of a throwable and of its root cause, on one line, without a stack trace. */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (root != t) {
            text += " (caused by " + root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        }
        return text;
    }
}
