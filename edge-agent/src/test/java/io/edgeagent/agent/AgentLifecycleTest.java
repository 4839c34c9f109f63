package io.edgeagent.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.RulesConfig;
import io.edgeagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's states move only forward, and each transition is refused where it makes no sense. */
class AgentLifecycleTest {

    @TempDir
    Path dir;

    /** Nothing listens on port 1: the agent starts anyway and keeps trying to connect in the background. */
    private AgentConfig config() throws Exception {
        AgentConfig config = TestConfigs.repositoryConfig("tcp://127.0.0.1:1", dir.resolve("data"));
        return config.withRules(new RulesConfig(Files.createDirectories(dir.resolve("rules")), false));
    }

    @Test
    void agent_startedThenStopped_goesCreatedRunningStoppedAndRefusesASecondStart() throws Exception {
        Agent agent = new Agent(config());
        assertThat(agent.state()).isEqualTo(AgentState.CREATED);

        agent.start();
        assertThat(agent.state()).isEqualTo(AgentState.RUNNING);
        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("RUNNING");

        agent.stop();
        assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
        agent.stop();
        assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("STOPPED");
    }

    @Test
    void agent_stoppedBeforeStart_isStoppedAndNeverOpensItsData() throws Exception {
        Agent agent = new Agent(config());

        agent.stop();

        assertThat(agent.state()).isEqualTo(AgentState.STOPPED);
        assertThatThrownBy(agent::start).isInstanceOf(IllegalStateException.class);
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
