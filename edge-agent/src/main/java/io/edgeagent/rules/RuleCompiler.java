package io.edgeagent.rules;

import com.espertech.esper.common.client.EPCompiled;
import io.edgeagent.config.ConfigException;
import io.edgeagent.config.EventTypes;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleDefinition;
import io.edgeagent.event.DeclaredEvent;
import io.edgeagent.event.Event;
import io.edgeagent.event.Location;
import io.edgeagent.event.Reading;
import io.edgeagent.threads.NamedThreads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns rule definitions into compiled Esper modules, checked: the sandbox scan of the EPL text, literal geofence
 * names, Esper's compiler (loaded on demand in its own class loader, {@link IsolatedEplCompiler}), then the sandbox
 * check of the byte code. With a directory, compiled modules are kept across restarts ({@link CompiledRuleCache}).
 * Rules that differ only in their constants compile once ({@link RuleShape}): the module is compiled with the
 * constants as substitution parameters, and each rule deploys it with its own values.
 *
 * <p>It knows nothing of a running runtime: a {@link RuleEngine} deploys what it produces, and one compiler can serve
 * several engines with the same event types and geofences (rule tests replaying many scenarios). Thread-safe.
 */
public final class RuleCompiler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuleCompiler.class);
    /** A fence function whose first argument is a whole string literal; computed names are checked at runtime. */
    private static final Pattern FENCE_CALL =
            Pattern.compile("\\b(?:fence|insideFence|fenceDistance)\\s*\\(\\s*'([^']*)'\\s*,");
    private static final Pattern POSITION = Pattern.compile("at line (\\d+) column (\\d+)");
    private static final long PRECOMPILE_DEADLINE_S = 120;

    /**
     * Classes whose byte code compiled rules call into, and the compiler's own classes of the agent (the bridge
     * sets compiler options): a change to one of them invalidates the compiled cache. Names, not classes, because
     * the bridge must not be loaded outside the compiler's class loader.
     */
    static final List<String> COMPILED_DEPENDENCIES = Stream.concat(
            Stream.of(Reading.class, Location.class, Event.class, DeclaredEvent.class, EplSandboxScan.class,
                    CompiledCodeCheck.class).map(Class::getName),
            IsolatedEplCompiler.ISOLATED_CLASSES.stream()).toList();

    private static final int RECENT_MODULES = 32;
    private static final int REFUSED_SHAPES = 256;

    private final IsolatedEplCompiler compiler = new IsolatedEplCompiler();
    /** Rules being compiled ahead of their deploy ({@link #precompile}), by name and EPL. */
    private final Map<String, Pending> ahead = new ConcurrentHashMap<>();
    /** Modules being compiled, by EPL text: a rule of the same shape waits for the one compile instead of starting its own. */
    private final Map<String, FutureTask<EPCompiled>> compiling = new ConcurrentHashMap<>();
    /**
     * Without a cache directory (the offline commands, rule tests): the modules compiled last, by EPL text, so that
     * the rules of one shape compile once there too. A few dozen modules of tens of KB.
     */
    private final Map<String, EPCompiled> recent = lastUsed(RECENT_MODULES);
    /** Shapes Esper refused, whose rules are compiled as written at once (a few hundred texts at most). */
    private final Set<String> refusedShapes = Collections.newSetFromMap(lastUsed(REFUSED_SHAPES));
    /**
     * Rules (their EPL) whose values the module of their shape did not deploy with: compiled as written. Per rule,
     * not per shape: the other rules of the shape deploy with theirs.
     */
    private final Set<String> refusedValues = Collections.newSetFromMap(lastUsed(REFUSED_SHAPES));
    private final CompiledRuleCache cache;
    private final EventTypes declaredTypes;
    private final Set<String> fenceNames;

    /**
     * @param fenceNames the configured geofences, which rules may name
     * @param declaredTypes the event types declared in the configuration, which rules can name besides Reading and
     *        Location
     * @param compiledCache a directory to keep compiled rules in across restarts (see {@link CompiledRuleCache}), or
     *        null to compile every rule every time (the offline commands)
     */
    public RuleCompiler(Set<String> fenceNames, EventTypes declaredTypes, Path compiledCache) {
        this.fenceNames = Set.copyOf(fenceNames);
        this.declaredTypes = declaredTypes;
        this.cache = compiledCache == null ? null
                : new CompiledRuleCache(compiledCache, COMPILED_DEPENDENCIES, declaredTypes.fingerprint());
    }

    EventTypes declaredTypes() {
        return declaredTypes;
    }

    /**
     * Compiles a rule without deploying it: the check behind {@code rules validate}. With a cache, a rule compiled
     * before (same name, EPL and agent build) is read back instead of compiled; a rule being compiled ahead
     * ({@link #precompile}) is waited for instead of compiled a second time.
     *
     * @throws ConfigException with the rule file, line and column of each problem
     */
    public CompiledRule compile(RuleDefinition rule) throws ConfigException {
        String key = aheadKey(rule);
        Pending pending = ahead.get(key);
        if (pending != null && pending.rule().equals(rule) && ahead.remove(key, pending)) {
            Optional<CompiledRule> compiled = await(rule, pending.result());
            if (compiled.isPresent()) {
                return compiled.get();
            }
        }
        return compileNow(rule);
    }

    /**
     * Compiles {@code rule} as written, not as its shape, and remembers that: for a rule whose values the module of its
     * shape did not deploy with (Esper checks some values only then).
     */
    CompiledRule compileAsWritten(RuleDefinition rule) throws ConfigException {
        refusedValues.add(rule.epl());
        return compileNow(rule);
    }

    /**
     * Compiles the rule's shape (its compared constants as parameters); when Esper refuses the shape, the rule as
     * written, and what Esper says of that is what the rule's author reads.
     */
    private CompiledRule compileNow(RuleDefinition rule) throws ConfigException {
        checkSandbox(rule);
        checkFences(rule);
        RuleShape shape = RuleShape.of(rule.epl());
        if (compiledText(rule, shape).equals(shape.text()) && !shape.constants().isEmpty()) {
            try {
                EPCompiled compiled = compileOnce(rule, shape.text());
                checkCompiled(rule, compiled);
                return new CompiledRule(compiled, shape.parameters());
            } catch (EplCompilation.Failure e) {
                refusedShapes.add(shape.text());
            }
        }
        try {
            EPCompiled compiled = compileOnce(rule, rule.epl());
            checkCompiled(rule, compiled);
            return new CompiledRule(compiled, Map.of());
        } catch (EplCompilation.Failure e) {
            throw new ConfigException(describe(rule, e));
        }
    }

    /**
     * Compiles {@code epl} once for all rules that ask at the same time, or reads it from the cache.
     *
     * @throws ConfigException when the compiler itself failed (a timeout, an incomplete lib/ directory): the rule is
     *         rejected like any other bad rule, and the running rules keep running
     */
    private EPCompiled compileOnce(RuleDefinition rule, String epl) throws EplCompilation.Failure, ConfigException {
        String key = cache == null ? null : cache.key(epl);
        Optional<EPCompiled> stored = cache == null ? Optional.ofNullable(recent.get(epl)) : cache.get(key);
        if (stored.isPresent()) {
            return stored.get();
        }
        FutureTask<EPCompiled> mine = new FutureTask<>(() -> {
            EPCompiled compiled = compiler.compile(epl, rule.name(), declaredTypes.types());
            if (cache != null) {
                cache.put(key, compiled);
            } else {
                recent.put(epl, compiled);
            }
            return compiled;
        });
        FutureTask<EPCompiled> running = compiling.putIfAbsent(epl, mine);
        try {
            if (running == null) {
                mine.run();
            }
            // The compile has a deadline of its own (IsolatedEplCompiler); this one bounds the wait for another's.
            return (running == null ? mine : running).get(PRECOMPILE_DEADLINE_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EplCompilation.Failure failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new CompilerFailed(List.of(new Problem(rule.source().toString(), rule.eplLine(), "epl", null,
                    "Esper's compiler failed: " + (e.getCause().getMessage() == null ? e.getCause().toString()
                            : e.getCause().getMessage()))));
        } catch (TimeoutException | CancellationException e) {
            throw new CompilerFailed(List.of(new Problem(rule.source().toString(), rule.eplLine(), "epl", null,
                    "Esper's compiler did not finish within " + PRECOMPILE_DEADLINE_S + " s")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompilerFailed(List.of(new Problem(rule.source().toString(), rule.eplLine(), "epl", null,
                    "interrupted while waiting for Esper's compiler")));
        } finally {
            if (running == null) {
                compiling.remove(epl, mine);
            }
        }
    }

    private static <V> Map<String, V> lastUsed(int most) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > most;
            }
        });
    }

    /**
     * The EPL that compiling {@code rule} compiles: its shape, unless Esper refused that shape before (in this
     * process, or before a restart: then the cache holds the rule as written and not the shape).
     */
    private String compiledText(RuleDefinition rule) {
        return compiledText(rule, RuleShape.of(rule.epl()));
    }

    private String compiledText(RuleDefinition rule, RuleShape shape) {
        String text = shape.text();
        if (shape.constants().isEmpty() || refusedShapes.contains(text) || refusedValues.contains(rule.epl())) {
            return rule.epl();
        }
        if (cache != null && !cache.contains(cache.key(text)) && cache.contains(cache.key(rule.epl()))) {
            return rule.epl();
        }
        return text;
    }

    /** A failure of the compiler rather than of the rule: a compile ahead that ends so is tried again on deploy. */
    private static final class CompilerFailed extends ConfigException {
        private static final long serialVersionUID = 1L;

        CompilerFailed(List<Problem> problems) {
            super(problems);
        }
    }

    /**
     * The result of a compile ahead: the rule's problems are thrown as if it had been compiled here; empty when the
     * compile did not finish in time, was cancelled or failed outside the rule (it is then compiled again).
     */
    private static Optional<CompiledRule> await(RuleDefinition rule, Future<CompiledRule> pending) throws ConfigException {
        try {
            return Optional.of(pending.get(PRECOMPILE_DEADLINE_S, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException problems && !(problems instanceof CompilerFailed)) {
                throw problems;
            }
            return Optional.empty();
        } catch (TimeoutException e) {
            pending.cancel(false);
            LOG.warn("Compiling rule {} ahead took over {} s; compiling it again.", rule.name(), PRECOMPILE_DEADLINE_S);
            return Optional.empty();
        } catch (CancellationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String aheadKey(RuleDefinition rule) {
        return rule.name() + '\0' + rule.epl();
    }

    /** A rule being compiled ahead, and the definition it was started for. */
    private record Pending(RuleDefinition rule, Future<CompiledRule> result) {
    }

    /**
     * Starts compiling {@code rules} on all cores, in their order, and returns at once: deploying them one by one
     * meanwhile ({@link #compile}) takes each as it is ready, so deploying overlaps compiling. Rules the cache holds
     * already are not compiled again, and of several rules of one shape only the first is started: the others take
     * its module when they deploy. Close the returned batch when the rules are deployed: it cancels and forgets
     * what nobody took, and its threads end.
     */
    public Ahead precompile(List<RuleDefinition> rules) {
        Map<String, RuleDefinition> shapes = new LinkedHashMap<>();
        for (RuleDefinition rule : rules) {
            String text = compiledText(rule);
            if (cache == null || !cache.contains(cache.key(text))) {
                shapes.putIfAbsent(text, rule);
            }
        }
        if (shapes.size() < 2) {
            return new Ahead(null, Map.of(), Map.of());
        }
        int threads = Math.min(shapes.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, new NamedThreads("edge-rule-compile"));
        Map<String, Pending> started = new LinkedHashMap<>();
        Map<String, Future<?>> byText = new HashMap<>();
        Ahead batch = new Ahead(pool, started, byText);
        try {
            shapes.forEach((text, rule) -> {
                String key = aheadKey(rule);
                FutureTask<CompiledRule> task = new FutureTask<>(() -> compileNow(rule));
                Pending pending = new Pending(rule, task);
                if (ahead.putIfAbsent(key, pending) == null) {
                    started.put(key, pending);
                    byText.put(text, task);
                    pool.execute(task);
                }
            });
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
        pool.shutdown();
        return batch;
    }

    /** Rules being compiled ahead of their deploy; see {@link #precompile}. */
    public final class Ahead implements AutoCloseable {

        private final ExecutorService pool;
        private final Map<String, Pending> started;
        /** The compiles started, by the EPL text they compile: the other rules of a shape wait for its one. */
        private final Map<String, Future<?>> byText;

        private Ahead(ExecutorService pool, Map<String, Pending> started, Map<String, Future<?>> byText) {
            this.pool = pool;
            this.started = started;
            this.byText = byText;
        }

        /**
         * Waits until {@code rule}'s compile ahead, or the compile of its shape, has finished, without taking it: a
         * caller that must not wait while holding a lock (the engine's) waits here first. Returns at once for a rule
         * nothing is compiling.
         */
        public void awaitCompiled(RuleDefinition rule) {
            Pending pending = started.get(aheadKey(rule));
            if (pending != null && pending.rule().equals(rule)) {
                try {
                    // Cancels and logs a compile past its deadline, as compile() would.
                    await(rule, pending.result());
                } catch (ConfigException e) {
                    // compile() takes the same outcome and reports it.
                }
                return;
            }
            String text = compiledText(rule);
            Future<?> result = byText.getOrDefault(text, compiling.get(text));
            if (result == null) {
                return;
            }
            try {
                result.get(PRECOMPILE_DEADLINE_S, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                // compile() takes the same outcome and reports it, or compiles again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Cancels what nobody took and has not started (a deploy that failed half way, a duplicate rule name) and
         * forgets it; a compile under way finishes into the cache. The threads end once idle.
         */
        @Override
        public void close() {
            started.forEach((key, pending) -> {
                if (ahead.remove(key, pending)) {
                    pending.result().cancel(false);
                }
            });
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /** How many modules Esper's compiler compiled (not counting those read from the cache or shared by a shape). */
    long compiles() {
        return compiler.compiles();
    }

    /** How many times Esper's compiler was loaded: 0 when every rule came from the compiled cache. */
    public long compilerLoads() {
        return compiler.loads();
    }

    /** Deletes compiled rules that none of {@code rules} uses. */
    void pruneExcept(Collection<RuleDefinition> rules) {
        if (cache == null) {
            return;
        }
        Set<String> keys = new HashSet<>();
        rules.forEach(r -> keys.add(cache.key(compiledText(r))));
        cache.retainOnly(keys);
    }

    /** The sandbox checks of the EPL text (see {@link EplSandboxScan}), before Esper compiles anything. */
    private static void checkSandbox(RuleDefinition rule) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        for (EplSandboxScan.Finding finding : EplSandboxScan.scan(rule.epl())) {
            if (!(finding.unboundedState() && rule.unboundedState())) {
                problems.add(problemAt(rule, finding.offset(), finding.message()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** The sandbox check of the compiled byte code (see {@link CompiledCodeCheck}). */
    private static void checkCompiled(RuleDefinition rule, EPCompiled compiled) throws ConfigException {
        List<Problem> problems = new ArrayList<>();
        for (ClassFileReferences.Reference r : CompiledCodeCheck.violations(compiled.getClasses())) {
            String member = r.name().equals("<init>") ? r.owner().substring(r.owner().lastIndexOf('/') + 1) : r.name();
            Matcher at = Pattern.compile("\\b" + Pattern.quote(member) + "\\b").matcher(rule.epl());
            problems.add(problemAt(rule, at.find() ? at.start() : 0, "uses " + r.display() + ", which rules may not: "
                    + "rules run in a sandbox without reflection, class loading, threads, processes, files or network"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static Problem problemAt(RuleDefinition rule, int offset, String message) {
        int[] inEpl = EplSandboxScan.position(rule.epl(), offset);
        int[] at = rule.fileLocation(inEpl[0], inEpl[1]);
        return new Problem(rule.source().toString(), at[0], "epl", null, "column " + at[1] + ": " + message);
    }

    private void checkFences(RuleDefinition rule) throws ConfigException {
        Matcher m = FENCE_CALL.matcher(rule.epl());
        List<Problem> problems = new ArrayList<>();
        while (m.find()) {
            if (!fenceNames.contains(m.group(1))) {
                int line = 1 + (int) rule.epl().substring(0, m.start()).chars().filter(c -> c == '\n').count();
                problems.add(new Problem(rule.source().toString(), rule.fileLocation(line, 0)[0], "epl", m.group(1),
                        "unknown geofence (configured: " + (fenceNames.isEmpty() ? "none" : String.join(", ", new TreeSet<>(fenceNames)))
                                + "; fences are declared under geofences: in config.yaml)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Maps Esper's positions inside the EPL to positions inside the rule file. */
    private static List<Problem> describe(RuleDefinition rule, EplCompilation.Failure failure) {
        List<Problem> problems = new ArrayList<>();
        if (failure.items().isEmpty()) {
            problems.add(new Problem(rule.source().toString(), rule.eplLine(), "epl", null, failure.getMessage()));
            return problems;
        }
        for (EplCompilation.Failure.Item item : failure.items()) {
            String message = item.message();
            Matcher m = POSITION.matcher(message);
            int[] at;
            if (m.find()) {
                at = rule.fileLocation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            } else {
                at = rule.fileLocation(Math.max(item.line(), 1), 0);
            }
            int bracket = message.lastIndexOf(" [");
            // Esper's position is relative to the EPL text; the file position replaces it.
            String text = POSITION.matcher(bracket > 0 ? message.substring(0, bracket) : message).replaceAll("").strip();
            problems.add(new Problem(rule.source().toString(), at[0], "epl", null,
                    "column " + at[1] + ": " + text));
        }
        return problems;
    }

    @Override
    public void close() {
        compiler.close();
    }
}
