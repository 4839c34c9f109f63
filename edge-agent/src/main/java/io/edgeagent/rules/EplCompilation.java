package io.edgeagent.rules;

import java.util.List;
import java.util.Map;

/**
 * One EPL module compiled into deployable byte code. The implementation, {@link EsperCompilerBridge}, lives in the
 * compiler's own class loader together with its own copy of Esper (see {@link IsolatedEplCompiler}), so everything
 * that crosses this interface is a JDK type or a type of this file. Public only because the bridge, in another
 * loader, is another package at run time.
 */
public interface EplCompilation {

    /**
     * @param epl the module's EPL; the same text may be deployed for several rules (see {@link RuleShape}), so the
     *        compiled module names no rule
     * @param declaredTypes the configuration's declared event types: name -> field -> field type
     */
    Module compile(String epl, Map<String, Map<String, String>> declaredTypes) throws Failure;

    /** A compiled module: Esper's manifest in its own binary form, and the generated classes by name. */
    record Module(byte[] manifest, Map<String, byte[]> classes) {
    }

    /** The EPL did not compile: Esper's summary and one item per problem, with its line inside the EPL. */
    final class Failure extends Exception {

        public record Item(String message, int line) {
        }

        private final List<Item> items;

        public Failure(String message, List<Item> items) {
            super(message, null, false, false);
            this.items = List.copyOf(items);
        }

        public List<Item> items() {
            return items;
        }
    }
}
