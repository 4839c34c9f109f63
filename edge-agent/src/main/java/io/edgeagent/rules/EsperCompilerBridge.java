package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.common.client.util.ClassForNameProvider;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompileException;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only class of the agent that names Esper's compiler. It is never loaded by the agent's own class loader:
 * {@link IsolatedEplCompiler} defines it in the compiler's loader, which is what lets the whole compiler, and the
 * compile-time half of Esper, be unloaded.
 */
public final class EsperCompilerBridge implements EplCompilation {

    @Override
    public Module compile(String epl, Map<String, Map<String, String>> declaredTypes) throws Failure {
        Configuration configuration = EsperConfiguration.create(true, declaredTypes);
        SandboxClassResolver classes = new SandboxClassResolver(EsperCompilerBridge.class.getClassLoader());
        configuration.getCommon().getTransientConfiguration().put(ClassForNameProvider.NAME, classes);
        // Scripts and inlined classes run arbitrary code; the EPL scan refuses them first, these make sure.
        configuration.getCompiler().getScripts().setEnabled(false);
        CompilerArguments arguments = new CompilerArguments(configuration);
        arguments.getOptions().setInlinedClassInspection(context -> {
            throw new IllegalStateException("inlined classes are not allowed in rules (sandbox)");
        });
        EPCompiled compiled;
        try {
            compiled = EPCompilerProvider.getCompiler().compile(epl, arguments);
        } catch (EPCompileException e) {
            List<String> refused = classes.refused();
            if (!refused.isEmpty()) {
                throw new Failure("the rule names classes that rules may not use",
                        refused.stream().map(name -> refusal(epl, name)).toList());
            }
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

    /** Points at where the EPL names {@code className}: its full name, else its simple name; Esper's form. */
    private static Failure.Item refusal(String epl, String className) {
        int at = epl.indexOf(className);
        if (at < 0) {
            String simpleName = className.substring(className.lastIndexOf('.') + 1);
            Matcher simple = Pattern.compile("\\b" + Pattern.quote(simpleName) + "\\b").matcher(epl);
            at = simple.find() ? simple.start() : 0;
        }
        int[] position = EplSandboxScan.position(epl, at);
        return new Failure.Item("class " + className + " is not available to rules: rules run in a sandbox and can "
                + "use only Math, StrictMath, String, the boxed number types and the agent's functions at line "
                + position[0] + " column " + position[1], position[0]);
    }
}
