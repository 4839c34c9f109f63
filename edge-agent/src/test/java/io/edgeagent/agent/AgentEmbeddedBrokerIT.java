package io.edgeagent.agent;

import io.edgeagent.demo.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end contract against the in-process broker. */
class AgentEmbeddedBrokerIT extends AgentEndToEndContract {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Override
    String brokerUrl() {
        return broker.url();
    }
}
