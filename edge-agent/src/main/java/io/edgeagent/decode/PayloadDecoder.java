package io.edgeagent.decode;

import io.edgeagent.event.Event;
import java.util.List;

/**
 * Turns one MQTT message into events. Implementations are stateless and thread-safe. An empty list means the message
 * was understood and deliberately carries no event (an OwnTracks {@code lwt}, say); a payload that cannot be
 * understood throws.
 */
public interface PayloadDecoder {

    List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException;
}
