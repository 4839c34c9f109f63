package io.edgeagent.actions;

import io.edgeagent.event.Derived;

/**
 * Where {@code emit} steps put derived events: the composition root appends them to the buffer for upload. Called on
 * an action thread; may block briefly (a buffer write); throws when the event could not be stored, which fails the
 * step so its retry policy applies.
 */
@FunctionalInterface
public interface EmitSink {

    EmitSink NONE = event -> {
        throw new IllegalStateException("emit is not available here");
    };

    void emit(Derived event) throws Exception;
}
