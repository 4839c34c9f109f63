package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.EPCompiledManifest;
import io.edgeagent.bootstrap.JvmSettings;
import io.edgeagent.threads.NamedThreads;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Esper's compiler (with Janino and ANTLR) in a class loader of its own, created when a rule needs compiling and
 * dropped once no compile has run for {@link #RELEASE_AFTER}.
 *
 * <p>Why: the compiler is only needed while rules change, but once loaded its classes (and the compile-time half
 * of esper-common, several thousand classes), their JIT code and its static parser caches stay for the life of the
 * JVM, which on a 64 MB Raspberry Pi agent is a large share of the resident
 * memory (docs/performance.md, Footprint). The runtime needs none of it: a compiled module is plain byte code. After
 * a release the JVM can unload every compiler class; one explicit collection makes that happen at the release rather
 * than at some later full collection.
 *
 * <p>The compiler's jars stay on the ordinary class path; this loader reads the same jars itself and, for Esper's
 * and the compiler's packages, never asks its parent: it compiles with a copy of Esper of its own, so the agent's
 * loader only ever holds what the runtime needs. Only byte arrays and JDK types cross between the two
 * ({@link EplCompilation}); the agent's classes that name Esper types are defined here a second time from their
 * class files, so the compiler sees them bound to its copy.
 *
 * <p>Thread-safe; compiles may run in parallel. The release timer is one named daemon thread, stopped by
 * {@link #close}.
 */
final class IsolatedEplCompiler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IsolatedEplCompiler.class);
    /** Long enough to keep the compiler warm through a person's editing session, short enough to matter on a Pi. */
    static final Duration RELEASE_AFTER = Duration.ofSeconds(30);
    private static final String BRIDGE = "io.edgeagent.rules.EsperCompilerBridge";
    /** One class of each isolated jar, by which the jar is found on the agent's class path. */
    private static final List<String> MARKERS = List.of(
            "com/espertech/esper/common/client/EPCompiled.class",
            "com/espertech/esper/compiler/client/EPCompilerProvider.class",
            "org/codehaus/janino/SimpleCompiler.class",
            "org/codehaus/commons/compiler/ICompilerFactory.class",
            "org/antlr/v4/runtime/Parser.class");
    /** The packages this loader defines itself, never asking its parent. */
    private static final List<String> ISOLATED_PACKAGES = List.of("com.espertech.esper.common.",
            "com.espertech.esper.compiler.", "org.codehaus.janino.", "org.codehaus.commons.", "org.antlr.v4.");
    /**
     * The agent's classes that name Esper types and that the compiler must see bound to its own copy of Esper (a
     * function taking Esper's invocation context, the configuration); read from the agent's class files.
     */
    static final List<String> ISOLATED_CLASSES = List.of(BRIDGE, EsperConfiguration.class.getName(),
            FenceFunctions.class.getName(), RuntimeErrors.class.getName(), SandboxClassResolver.class.getName());
    /**
     * Esper's classes that the agent carries a changed copy of, defined here from the agent's class files instead of
     * Esper's (THIRD-PARTY.md; docs/performance.md, start-up with 200 rules). Only the compiler uses them. Copied
     * from Esper 9.0.0 and written against Janino 3.1.12: upgrading either means comparing them again (their
     * headers say what changed; a Janino without the constructor they use fails the first compile).
     */
    static final List<String> PATCHED_CLASSES = List.of(
            "com.espertech.esper.common.internal.bytecodemodel.base.CodegenMethod",
            "com.espertech.esper.compiler.internal.compiler.janino.JaninoCompiler");

    /** The longest one compile may take before it is reported as failed (a pathological rule, a stuck thread). */
    static final Duration COMPILE_DEADLINE = Duration.ofSeconds(60);
    /** How long a release waits for the compile threads to end before it lets the loader go. */
    private static final long THREAD_END_DEADLINE_MS = 5_000;
    /** Collections after a release while the loader is still reachable, {@link #UNLOAD_RETRY} apart. */
    private static final int UNLOAD_ATTEMPTS = 4;
    private static final Duration UNLOAD_RETRY = Duration.ofSeconds(30);
    /** Bounds the names remembered as missing; Janino guesses from a small set of imports, so it is never reached. */
    private static final int MAX_MISSING = 100_000;
    /** Compiles waiting for a thread; callers are few (the rule directory, the admin API, the precompile pool). */
    private static final int QUEUE_CAPACITY = 1_000;
    /** See {@link RuleEngine#CLASS_ARCHIVE_WORKLOAD_PROPERTY} and {@link CompilerLoader#keepForArchive}. */
    private static final boolean ARCHIVE_WORKLOAD = Boolean.getBoolean(RuleEngine.CLASS_ARCHIVE_WORKLOAD_PROPERTY);
    private static final List<CompilerLoader> KEPT_FOR_ARCHIVE = new CopyOnWriteArrayList<>();
    /** The agent's jar (or class directory), where the isolated and patched classes are read from. */
    private static final String AGENT_LOCATION =
            IsolatedEplCompiler.class.getProtectionDomain().getCodeSource().getLocation().toString();

    /**
     * The loaded compiler: its loader, the bridge, and the threads that compile. Compiles run on these threads only,
     * because Esper and Janino leave thread-locals behind; on a long-lived thread of the agent those would pin
     * the loader forever. The threads end with the lease.
     */
    private record Lease(CompilerLoader loader, EplCompilation compilation, ThreadPoolExecutor threads) {
    }

    private final Duration releaseAfter;
    private final ScheduledExecutorService timer;
    private Lease lease;
    private ScheduledFuture<?> release;
    private int running;
    private long loads;
    private long compiles;
    private boolean closed;

    IsolatedEplCompiler() {
        this(RELEASE_AFTER);
    }

    IsolatedEplCompiler(Duration releaseAfter) {
        this.releaseAfter = releaseAfter;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = NamedThreads.single("edge-rule-compiler-release", task);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    /** Compiles on the compiler's own threads and waits for the result; callers may compile in parallel. */
    EPCompiled compile(String epl, String ruleName, Map<String, Map<String, String>> declaredTypes)
            throws EplCompilation.Failure {
        Lease current;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the rule engine is stopping");
            }
            if (lease == null) {
                lease = load();
            }
            running++;
            compiles++;
            current = lease;
        }
        Future<EplCompilation.Module> task = null;
        try {
            task = current.threads().submit(() -> current.compilation().compile(epl, declaredTypes));
            EplCompilation.Module module = task.get(COMPILE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            return new EPCompiled(module.classes(),
                    EPCompiledManifest.read(new DataInputStream(new ByteArrayInputStream(module.manifest()))));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EplCompilation.Failure failure) {
                throw failure;
            }
            throw new IllegalStateException("Esper's compiler failed on rule " + ruleName + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            // Interrupts the stuck compile: a thread left running would keep a core busy and the loader pinned.
            task.cancel(true);
            throw new IllegalStateException("compiling rule " + ruleName + " took over "
                    + COMPILE_DEADLINE.toSeconds() + " s");
        } catch (InterruptedException e) {
            // Nobody waits for it any more: it would keep a compiler thread busy for nothing.
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling rule " + ruleName, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the compiled module of rule " + ruleName, e);
        } finally {
            synchronized (this) {
                running--;
                scheduleRelease();
            }
        }
    }

    /** True while the compiler is loaded (tests and the footprint figures). */
    synchronized boolean loaded() {
        return lease != null;
    }

    /** How many compiles were started since start. */
    synchronized long compiles() {
        return compiles;
    }

    /** How many times the compiler was loaded since start. */
    synchronized long loads() {
        return loads;
    }

    /**
     * Drops the compiler now if no compile is running, waiting briefly for its threads to end; returns a
     * reference that clears once the JVM has unloaded it (tests use it to prove nothing pins the loader).
     */
    synchronized WeakReference<ClassLoader> releaseNow() {
        if (lease == null || running > 0) {
            return new WeakReference<>(lease == null ? null : lease.loader());
        }
        Lease released = lease;
        lease = null;
        if (release != null) {
            release.cancel(false);
            release = null;
        }
        released.threads().shutdown();
        try {
            if (!released.threads().awaitTermination(THREAD_END_DEADLINE_MS, TimeUnit.MILLISECONDS)) {
                LOG.debug("Rule compiler threads still running {} ms after release.", THREAD_END_DEADLINE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        JvmSettings.forgetIntrospectedClasses();
        released.loader().keepForArchive();
        try {
            released.loader().close();
        } catch (IOException e) {
            LOG.debug("Closing the rule compiler's class loader: {}", e.toString());
        }
        return new WeakReference<>(released.loader());
    }

    private Lease load() {
        CompilerLoader loader = newLoader();
        EplCompilation compilation;
        try {
            compilation = (EplCompilation) loader.loadClass(BRIDGE).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load Esper's compiler: " + e, e);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        NamedThreads names = new NamedThreads("edge-rule-compiler");
        ThreadPoolExecutor threads = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), task -> {
                    Thread thread = names.newThread(task);
                    thread.setDaemon(true);
                    thread.setContextClassLoader(loader);
                    return thread;
                });
        loads++;
        LOG.debug("Rule compiler loaded (load {}).", loads);
        return new Lease(loader, compilation, threads);
    }

    private void scheduleRelease() {
        if (closed) {
            // The engine stopped while this compile ran: the last one out releases the compiler.
            if (running == 0) {
                releaseNow();
            }
            return;
        }
        if (release != null) {
            release.cancel(false);
        }
        release = timer.schedule(this::releaseIfIdle, releaseAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void releaseIfIdle() {
        WeakReference<ClassLoader> released;
        synchronized (this) {
            if (running > 0 || lease == null) {
                return;
            }
            released = releaseNow();
        }
        LOG.debug("Rule compiler released after {} s without a compile.", releaseAfter.toSeconds());
        collectUntilUnloaded(released, 0);
    }

    /**
     * Unloading happens only in a full collection, so one runs now, at a quiet moment, rather than whenever the old
     * generation fills. The JDK keeps some reflection results in soft references, which a collection clears only
     * once they have gone unused for about a second per free megabyte of heap; so while the loader is still
     * reachable, collect again later, a bounded number of times.
     */
    private void collectUntilUnloaded(WeakReference<ClassLoader> released, int attempt) {
        System.gc();
        if (released.get() == null) {
            LOG.debug("Rule compiler unloaded after {} collection(s).", attempt + 1);
        } else if (attempt + 1 < UNLOAD_ATTEMPTS) {
            timer.schedule(() -> collectUntilUnloaded(released, attempt + 1), UNLOAD_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            LOG.debug("Rule compiler still referenced after {} collections; the next full collection unloads it.",
                    UNLOAD_ATTEMPTS);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.shutdownNow();
        releaseNow();
    }

    /** A class loader of the compiler's own, over its jars on the agent's class path. */
    static CompilerLoader newLoader() {
        try {
            return new CompilerLoader(compilerJars(), IsolatedEplCompiler.class.getClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open Esper's compiler jars: " + e.getMessage(), e);
        }
    }

    private static URL[] compilerJars() {
        ClassLoader parent = IsolatedEplCompiler.class.getClassLoader();
        List<URL> urls = new ArrayList<>();
        for (String marker : MARKERS) {
            URL resource = parent.getResource(marker);
            if (resource == null) {
                throw new IllegalStateException("Esper's compiler is not on the class path: " + marker
                        + " not found (the agent's lib/ directory is incomplete)");
            }
            urls.add(root(resource, marker));
        }
        return urls.toArray(URL[]::new);
    }

    /** The jar or directory that holds {@code resource}. */
    private static URL root(URL resource, String name) {
        String text = resource.toString();
        try {
            if (text.startsWith("jar:")) {
                return new URL(text.substring("jar:".length(), text.indexOf("!/")));
            }
            return new URL(text.substring(0, text.length() - name.length()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot locate Esper's compiler from " + text, e);
        }
    }

    /** Child-first for the compiler's packages and the bridge; everything else from the agent's loader. */
    static final class CompilerLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        /**
         * Names asked for and not found. Janino resolves every simple name by guessing it in each imported package,
         * a few hundred guesses per rule, and each wrong guess searched every jar on the agent's class path; a name
         * that was not there is not there the next time either (the jars do not change).
         */
        private final Set<String> missing = ConcurrentHashMap.newKeySet();
        private final CompilerClassFiles classFiles;
        /** Every class defined here, kept only in the JVM that writes the class archive. */
        private final Queue<Class<?>> definedForArchive = ARCHIVE_WORKLOAD ? new ConcurrentLinkedQueue<>() : null;

        CompilerLoader(URL[] jars, ClassLoader parent) throws IOException {
            super("edge-rule-compiler", jars, parent);
            classFiles = new CompilerClassFiles(jars, this);
        }

        /** The compiler's classes from its jars, without their signers (see {@link CompilerClassFiles}). */
        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            CompilerClassFiles.ClassFile file;
            try {
                file = classFiles.find(name.replace('.', '/') + ".class");
            } catch (IOException e) {
                throw new ClassNotFoundException(name + " (cannot read the compiler's jars: " + e + ")", e);
            }
            if (file == null) {
                throw new ClassNotFoundException(name);
            }
            return defined(defineClass(name, file.bytes(), 0, file.bytes().length, file.domain()));
        }

        private Class<?> defined(Class<?> type) {
            if (definedForArchive != null) {
                definedForArchive.add(type);
            }
            return type;
        }

        /**
         * In the JVM that writes the class archive: links every class defined here, and keeps this loader until the
         * JVM exits. The JVM archives a custom loader's classes only if they are linked and their loader is alive at
         * exit; many of the compiler's classes are only loaded (named in a signature or a catch clause), never linked.
         */
        void keepForArchive() {
            if (definedForArchive == null) {
                return;
            }
            for (Class<?> type : definedForArchive) {
                try {
                    // Reflection links the class (without initialising it).
                    type.getDeclaredFields();
                } catch (LinkageError e) {
                    LOG.debug("Rule compiler class {} not linked for the class archive: {}", type.getName(), e.toString());
                }
            }
            KEPT_FOR_ARCHIVE.add(this);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                classFiles.close();
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (cannotExist(name) || missing.contains(name)) {
                throw new ClassNotFoundException(name);
            }
            try {
                return load(name, resolve);
            } catch (ClassNotFoundException e) {
                // A name that could not be read (a jar closed meanwhile) may well be there: not remembered.
                if (e.getCause() == null && missing.size() < MAX_MISSING) {
                    missing.add(name);
                }
                throw e;
            }
        }

        private Class<?> load(String name, boolean resolve) throws ClassNotFoundException {
            if (!isolated(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = isolatedClass(name) ? defineFromAgent(name) : findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        /** Defines {@code name} from the agent's own class file (never from a jar that has a class of that name too). */
        private Class<?> defineFromAgent(String name) throws ClassNotFoundException {
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = agentClassFile(resource)) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defined(defineClass(name, bytes, 0, bytes.length));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }

        private InputStream agentClassFile(String resource) throws IOException {
            for (URL url : Collections.list(getParent().getResources(resource))) {
                String location = url.toString();
                if (location.startsWith(AGENT_LOCATION) || location.startsWith("jar:" + AGENT_LOCATION + "!/")) {
                    return url.openStream();
                }
            }
            return null;
        }

        /** Whether {@code name} was asked for, not found, and is remembered as missing. */
        boolean knownMissing(String name) {
            return missing.contains(name);
        }

        /**
         * Names no jar here holds: the default package, and Esper's package for the classes it generates, which only
         * the loader of each compiled module defines (it asks this loader first, for every one of them).
         */
        private static boolean cannotExist(String name) {
            return name.indexOf('.') < 0 || name.startsWith(RuleClassLoader.GENERATED_PACKAGE);
        }

        private static boolean isolatedClass(String name) {
            return named(name, ISOLATED_CLASSES) || named(name, PATCHED_CLASSES);
        }

        /** Whether {@code name} is one of {@code classes} or a class nested in one. */
        private static boolean named(String name, List<String> classes) {
            for (String top : classes) {
                if (ClassNames.isOrNestedIn(name, top)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isolated(String name) {
            if (isolatedClass(name)) {
                return true;
            }
            for (String prefix : ISOLATED_PACKAGES) {
                if (name.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
