package io.edgeagent.pipeline;

import io.edgeagent.event.Event;
import io.edgeagent.event.InboundMessage;
import java.util.List;

/** Turns one message into events, or rejects it with a reason a person can act on (it then becomes a dead letter). */
@FunctionalInterface
public interface MessageDecoding {

    List<Event> decode(InboundMessage message) throws RejectedMessageException;

    /** The message is not valid input; its reason goes into the dead-letter table. */
    final class RejectedMessageException extends Exception {

        public RejectedMessageException(String reason) {
            super(reason, null, false, false);
        }
    }
}
