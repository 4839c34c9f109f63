package io.edgeagent.agent;

import io.edgeagent.testing.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The end-to-end contract against a real Mosquitto started on a free port. */
class AgentMosquittoIT extends AgentEndToEndContract {

    private static MosquittoBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Path dir = Files.createTempDirectory("mosquitto");
        broker = MosquittoBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    String brokerUrl() {
        return broker.url();
    }
}
