package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The only class of the agent that names Esper's compiler. It is never loaded by the agent's own class loader:
 * {@link IsolatedEplCompiler} defines it in the compiler's loader, which is what lets the whole compiler, and the
 * compile-time half of Esper, be unloaded.
 */
public final class EsperCompilerBridge implements EplCompilation {

    @Override
    public Module compile(String epl, String ruleName, Map<String, Map<String, String>> declaredTypes) throws Failure {
        CompilerArguments arguments = new CompilerArguments(EsperConfiguration.create(true, declaredTypes));
        arguments.getOptions().setStatementUserObject(context -> ruleName);
        EPCompiled compiled;
        try {
            compiled = EPCompilerProvider.getCompiler().compile(epl, arguments);
        } catch (EPCompileException e) {
            throw new Failure(e.getMessage(), e.getItems().stream()
                    .map(item -> new Failure.Item(item.getMessage(), item.getLineNumber())).toList());
        }
        ByteArrayOutputStream manifest = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(manifest)) {
            compiled.getManifest().write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Module(manifest.toByteArray(), compiled.getClasses());
    }
}
