package io.edgeagent.simulator.internal;

import io.edgeagent.simulator.scenario.Malformation;
import java.time.Instant;

/**
 * Encodes one kind of sample in one wire format of {@code docs/event-format.md}. Implementations are stateless,
 * thread-safe and deterministic: the same arguments give the same bytes.
 *
 * @param <S> the samples this encoder can express
 */
interface PayloadEncoder<S extends Sample> {

    String topic(S sample);

    /** The payload of a sample measured at {@code ts}. */
    byte[] payload(S sample, Instant ts);

    /** A payload on the same topic that a correct agent rejects in the way {@code how} describes. */
    byte[] malformed(S sample, Instant ts, Malformation how);
}
