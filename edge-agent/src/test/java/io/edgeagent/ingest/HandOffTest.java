package io.edgeagent.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeagent.event.InboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;

/** The hand-off's rules: when it refuses, what it acknowledges where, and when it asks for a new connection. */
class HandOffTest {

    private final BlockingQueue<InboundMessage> queue = new ArrayBlockingQueue<>(2);
    private final List<String> acknowledged = new ArrayList<>();
    private final List<String> renewals = new ArrayList<>();
    /** The generation whose acknowledgements still reach a connection. */
    private long connected = 1;
    private final HandOff handOff = new HandOff(queue::offer, Duration.ZERO, (id, qos, generation) -> {
        acknowledged.add(id + "@" + generation);
        return generation == connected;
    }, (generation, reason) -> renewals.add(generation + ": " + reason));

    private static MqttMessage message(int id, int qos) {
        MqttMessage message = new MqttMessage(("m" + id).getBytes(StandardCharsets.UTF_8));
        message.setId(id);
        message.setQos(qos);
        return message;
    }

    /** A message with the DUP flag, as Paho delivers a redelivery (the setter is Paho's own). */
    private static final class Redelivered extends MqttMessage {
        Redelivered() {
            super(new byte[] {'r'});
            setId(9);
            setQos(1);
            setDuplicate(true);
        }
    }

    private void drain() {
        InboundMessage next;
        while ((next = queue.poll()) != null) {
            next.acknowledgement().run();
        }
    }

    @Test
    void arrived_roomInTheSink_handsOverAndAcknowledgesOnTheSameConnection() {
        handOff.arrived("a/b", message(1, 1), 1);
        drain();

        assertThat(acknowledged).containsExactly("1@1");
        assertThat(handOff.refused()).isZero();
        assertThat(renewals).isEmpty();
    }

    @Test
    void arrived_sinkFull_refusesThatAndEveryLaterMessageOfTheConnectionAndRenewsItOnceDrained() {
        handOff.arrived("a/b", message(1, 1), 1);
        handOff.arrived("a/b", message(2, 1), 1);
        handOff.arrived("a/b", message(3, 1), 1);
        queue.poll().acknowledgement().run();
        handOff.arrived("a/b", message(4, 1), 1);

        assertThat(queue).hasSize(1);
        assertThat(handOff.refused()).as("3, and 4 although there was room again").isEqualTo(2);
        assertThat(handOff.pauses()).isEqualTo(1);
        assertThat(renewals).as("not before the sink has drained").isEmpty();

        drain();

        assertThat(acknowledged).as("in receive order, on the connection they came from").containsExactly("1@1", "2@1");
        assertThat(renewals).hasSize(1).first().asString().startsWith("1: the pipeline drained after");
        handOff.arrived("a/b", message(3, 1), 2);
        assertThat(queue).as("the next connection hands over again").hasSize(1);
    }

    @Test
    void arrived_lateMessageOfAReplacedConnection_isRefusedBecauseItCouldNeverBeAcknowledged() {
        handOff.arrived("a/b", message(1, 1), 2);
        handOff.arrived("a/b", message(7, 1), 1);

        assertThat(queue).hasSize(1);
        assertThat(handOff.refused()).isEqualTo(1);
        assertThat(handOff.pauses()).isZero();
    }

    @Test
    void acknowledgement_connectionGoneMeanwhile_isCountedAsADuplicateToCome() {
        handOff.arrived("a/b", message(1, 1), 1);
        connected = 2;
        drain();

        assertThat(handOff.unacknowledged()).isEqualTo(1);
    }

    @Test
    void arrived_qos0RefusedOrDuplicateOrForbiddenTopic_areCounted() {
        handOff.arrived("a/b", new Redelivered(), 1);
        handOff.arrived("a/\t", message(2, 1), 1);
        handOff.arrived("a/b", message(0, 0), 1);

        assertThat(handOff.redelivered()).isEqualTo(1);
        assertThat(handOff.badTopics()).isEqualTo(1);
        assertThat(handOff.lostQos0()).isEqualTo(1);
        assertThat(handOff.received()).isEqualTo(3);
    }
}
