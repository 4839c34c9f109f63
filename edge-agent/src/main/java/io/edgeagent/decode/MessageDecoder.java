package io.edgeagent.decode;

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
        List<Route> built = new ArrayList<>();
        for (InputConfig input : inputs) {
            built.add(new Route(input.topic(), input.name(), decoderFor(input, declared)));
        }
        this.routes = List.copyOf(built);
    }

    /**
     * @return the events the message carries (possibly none)
     * @throws DecodeException naming the input and the field when the payload cannot be decoded
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

    private static PayloadDecoder decoderFor(InputConfig input, EventTypes declared) {
        if (declared.declares(input.event())) {
            return new DeclaredDecoder(input.event(), declared.fields(input.event()), input.fields());
        }
        return switch (input.format()) {
            case "tasmota" -> new TasmotaDecoder(input.fields());
            case "owntracks" -> new OwnTracksDecoder(input.fields());
            default -> new MappedDecoder(input.format(), input.event(), input.fields());
        };
    }
}
