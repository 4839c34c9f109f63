package io.edgeagent.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The last layer of the rules sandbox: what a compiled rule's byte code may call. Esper compiles a call on a value
 * ({@code deviceId.toString().intern()}) into a direct call, whatever type the value has; the class-name allow-list
 * cannot see those, this check can. It reads the constant pool of every generated class ({@link ClassFileReferences})
 * and refuses a reference to a denied type: reflection, class loading, processes, threads, files, network, the JVM,
 * and the libraries of the agent itself. Esper's own generated code calls only its runtime, collections, boxing and
 * strings, plus {@code Class.getName} in error messages, which is therefore allowed. Runs on every module before it
 * is deployed, including modules read back from the compiled-rule cache.
 */
final class CompiledCodeCheck {

    /** Owners (internal names; a trailing '/' is a package prefix) that compiled rules may not reference. */
    private static final List<String> DENIED_OWNERS = List.of("java/lang/Runtime", "java/lang/ProcessBuilder",
            "java/lang/Process", "java/lang/ProcessHandle", "java/lang/System", "java/lang/Thread",
            "java/lang/ThreadGroup", "java/lang/ThreadLocal", "java/lang/InheritableThreadLocal", "java/lang/Class",
            "java/lang/ClassLoader", "java/lang/Module", "java/lang/ModuleLayer", "java/lang/StackWalker",
            "java/lang/SecurityManager", "java/lang/Shutdown", "java/lang/reflect/", "java/lang/invoke/",
            "java/lang/instrument/", "java/lang/management/", "java/lang/ref/", "java/io/", "java/nio/",
            "java/net/", "java/rmi/", "java/sql/", "java/security/", "java/util/concurrent/Executor",
            "java/util/concurrent/Executors", "java/util/concurrent/ExecutorService",
            "java/util/concurrent/ForkJoinPool", "java/util/concurrent/ForkJoinTask",
            "java/util/concurrent/CompletableFuture", "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/Timer", "java/util/ServiceLoader",
            "java/util/prefs/", "java/util/logging/", "java/util/jar/", "java/util/zip/", "javax/", "jdk/", "sun/",
            "com/sun/", "org/h2/", "com/fasterxml/", "org/codehaus/", "org/antlr/", "org/slf4j/", "ch/qos/",
            "org/eclipse/", "io/micrometer/", "picocli/", "com/espertech/esper/compiler/", "io/edgeagent/");

    /** Exceptions inside denied owners: what Esper's generated code needs, and the agent's own rule API. */
    private static final Map<String, Set<String>> ALLOWED_MEMBERS = Map.of(
            "java/lang/Class", Set.of("getName", "getSimpleName"),
            "java/lang/System", Set.of("arraycopy", "currentTimeMillis", "nanoTime", "identityHashCode"));
    private static final List<String> ALLOWED_AGENT_CLASSES = List.of("io/edgeagent/event/Reading",
            "io/edgeagent/event/Location", "io/edgeagent/event/Event", "io/edgeagent/event/DeclaredEvent",
            "io/edgeagent/rules/FenceFunctions");
    /** Members that are dangerous on any owner (a monitor wait blocks the pipeline thread for ever). */
    private static final Set<String> DENIED_MEMBERS = Set.of("wait", "notify", "notifyAll");

    private CompiledCodeCheck() {
    }

    /** The references of {@code classes} (name -> class file) that a rule may not make; empty when it is clean. */
    static List<ClassFileReferences.Reference> violations(Map<String, byte[]> classes) {
        List<ClassFileReferences.Reference> found = new ArrayList<>();
        for (byte[] bytes : classes.values()) {
            ClassFileReferences refs = ClassFileReferences.read(bytes);
            if (refs.indirect()) {
                found.add(new ClassFileReferences.Reference("java/lang/invoke/MethodHandle", "(dynamic call)",
                        "method"));
            }
            for (ClassFileReferences.Reference r : refs.references()) {
                if (denied(r) && !found.contains(r)) {
                    found.add(r);
                }
            }
        }
        return found;
    }

    private static boolean denied(ClassFileReferences.Reference r) {
        if (DENIED_MEMBERS.contains(r.name())) {
            return true;
        }
        String owner = r.owner().startsWith("[") ? r.owner().replaceFirst("^\\[+L?", "") : r.owner();
        for (String allowed : ALLOWED_AGENT_CLASSES) {
            if (ClassNames.isOrNestedIn(owner, allowed)) {
                return false;
            }
        }
        for (String denied : DENIED_OWNERS) {
            boolean match = denied.endsWith("/") ? owner.startsWith(denied) : ClassNames.isOrNestedIn(owner, denied);
            if (match) {
                return !ALLOWED_MEMBERS.getOrDefault(denied, Set.of()).contains(r.name());
            }
        }
        return false;
    }
}
