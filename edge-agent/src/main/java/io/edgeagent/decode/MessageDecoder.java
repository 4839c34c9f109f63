package io.edgeagent.decode;

import io.edgeagent.config.EventTimeWindow;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.TopicFilters;
import io.edgeagent.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes a message to the decoder of the first configured input whose topic filter matches it. Thread-safe.
 */
public final class MessageDecoder {

    private record Route(String filter, String input, PayloadDecoder decoder) {
    }

    private final List<Route> routes;

    public MessageDecoder(List<InputConfig> inputs) {
        this(inputs, EventTypes.none());
    }

    public MessageDecoder(List<InputConfig> inputs, EventTypes declared) {
        this(inputs, declared, EventTimeWindow.defaults());
    }

    /** @param window the event times accepted ({@code pipeline.eventTime}); others are decode errors */
    public MessageDecoder(List<InputConfig> inputs, EventTypes declared, EventTimeWindow window) {
        List<Route> built = new ArrayList<>();
        for (InputConfig input : inputs) {
            built.add(new Route(input.topic(), input.name(), decoderFor(input, declared, window)));
        }
        this.routes = List.copyOf(built);
    }

    /**
     * @return the events the message carries (possibly none)
     * @throws DecodeException naming the input and the field when the payload cannot be decoded; anything else is a
     *                         bug, which the pipeline contains (the message becomes a dead letter, see Pipeline)
     */
    public List<Event> decode(String topic, byte[] payload, long receivedTime) throws DecodeException {
        for (Route route : routes) {
            if (TopicFilters.matches(route.filter(), topic)) {
                try {
                    return route.decoder().decode(topic, payload, receivedTime);
                } catch (DecodeException e) {
                    throw new DecodeException("input '" + route.input() + "': " + e.getMessage());
                }
            }
        }
        throw new DecodeException("no input's topic filter matches topic " + topic);
    }

    private static PayloadDecoder decoderFor(InputConfig input, EventTypes declared, EventTimeWindow window) {
        if (declared.declares(input.event())) {
            return new DeclaredDecoder(input.event(), declared.fields(input.event()), input.fields(), window);
        }
        return switch (input.format()) {
            case "tasmota" -> new TasmotaDecoder(input.fields(), window);
            case "owntracks" -> new OwnTracksDecoder(input.fields(), window);
            default -> new MappedDecoder(input.format(), input.event(), input.fields(), window);
        };
    }
}
