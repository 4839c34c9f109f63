package io.edgeagent.pipeline;

import io.edgeagent.event.Event;

/** Where stored events go next (the rules). Called from the pipeline thread, after the event was appended. */
@FunctionalInterface
public interface EventSink {

    void send(Event event);
}
