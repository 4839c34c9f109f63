package io.edgeagent.actions;

/** A step attempt did not succeed; the message says why in one sentence fragment, and {@code output} what it printed. */
class StepFailure extends Exception {

    private final String output;

    StepFailure(String message, String output) {
        super(message, null, false, false);
        this.output = output;
    }

    StepFailure(String message) {
        this(message, "");
    }

    String output() {
        return output;
    }
}
