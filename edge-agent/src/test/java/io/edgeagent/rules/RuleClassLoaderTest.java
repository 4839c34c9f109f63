package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.internal.context.util.ParentClassLoader;
import com.espertech.esper.runtime.client.option.DeploymentClassLoaderContext;
import io.edgeagent.event.Reading;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleClassLoaderTest {

    private final ParentClassLoader runtimeLoader = new ParentClassLoader(RuleClassLoaderTest.class.getClassLoader());
    private final ClassLoader loader = RuleClassLoader.deploymentOptions(new RuleClassLoader.Owner("uri", "rule"), Map.of()).getDeploymentClassLoaderOption()
            .getClassLoader(new DeploymentClassLoaderContext(runtimeLoader, new Configuration()));

    @Test
    void generatedClassOfNoDeployment_isNotFound_withoutAStackTrace() {
        assertThatThrownBy(() -> loader.loadClass("generated.StatementProvider_0_stmt1"))
                .isInstanceOfSatisfying(ClassNotFoundException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("generated.StatementProvider_0_stmt1");
                    assertThat(e.getStackTrace()).isEmpty();
                });
    }

    @Test
    void generatedClassThatEsperSharesBetweenDeployments_isFoundInTheRuntimeLoader() throws Exception {
        runtimeLoader.add("generated.SharedUnderlying", Reading.class, "deployment-1", false);

        assertThat(loader.loadClass("generated.SharedUnderlying")).isSameAs(Reading.class);
    }

    @Test
    void otherClasses_comeFromTheRuntimeLoadersParent() throws Exception {
        assertThat(loader.loadClass(Reading.class.getName())).isSameAs(Reading.class);
        assertThat(loader.getParent()).isSameAs(runtimeLoader);
        assertThatThrownBy(() -> loader.loadClass("io.edgeagent.NoSuchClass"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
