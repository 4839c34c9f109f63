package io.edgeagent.actions;

/** Told about every finished action step; called on an action thread, so it must be quick and thread-safe. */
@FunctionalInterface
public interface ActionListener {

    ActionListener NONE = result -> { };

    void finished(ActionResult result);
}
