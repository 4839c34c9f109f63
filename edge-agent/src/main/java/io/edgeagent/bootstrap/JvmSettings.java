package io.edgeagent.bootstrap;

import java.beans.Introspector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Every setting the agent makes that holds for the whole JVM rather than for one of its objects, in one place, with
 * why each exists. Anything else the agent configures belongs to the object that uses it; these cannot, because
 * the JVM or a library reads them once, globally.
 */
public final class JvmSettings {

    private static final String H2_OBJECT_CACHE = "h2.objectCache";

    private JvmSettings() {
    }

    /**
     * H2's object cache off, unless set explicitly ({@code -Dh2.objectCache=true}). The cache interns every string
     * and value a statement binds (hashing each, including the event's JSON body) to share equal copies; the agent's
     * rows are written once and not read back by the writer, so it costs time per row and saves nothing. A system
     * property because H2 reads its settings from them, once, when its first database opens: so this must run
     * before that ({@code H2Files} calls it when it is loaded).
     */
    public static void h2ObjectCacheOff() {
        if (System.getProperty(H2_OBJECT_CACHE) == null) {
            System.setProperty(H2_OBJECT_CACHE, "false");
        }
    }

    /**
     * Whether Esper's statement metrics include CPU time ({@code rules.statementCpuTime}). Esper reads the thread's
     * CPU clock twice per statement and event when the JVM's thread CPU time measurement is on, a system call that
     * costs more than most statements; with it off, the metrics keep wall time and counts. JVM-wide because it is
     * {@code ThreadMXBean}'s one switch, for every thread.
     */
    public static void measureThreadCpuTime(boolean enabled) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isThreadCpuTimeSupported()) {
            threads.setThreadCpuTimeEnabled(enabled);
        }
    }

    /**
     * Empties {@code java.beans}' introspection cache, which is JVM-wide and soft-keyed by class: Esper's compiler
     * introspects its own classes as beans, and the cache would hold the compiler's class loader (and its few
     * thousand classes) until the heap runs low. Called when the rule compiler's loader is released.
     */
    public static void forgetIntrospectedClasses() {
        Introspector.flushCaches();
    }
}
