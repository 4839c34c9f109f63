package io.edgeagent.agent;

import io.edgeagent.actions.ActionDispatcher;
import io.edgeagent.actions.ActionLog;
import io.edgeagent.actions.ActionListener;
import io.edgeagent.actions.MqttCommandPublisher;
import io.edgeagent.admin.AdminServer;
import io.edgeagent.admin.AdminToken;
import io.edgeagent.buffer.H2Buffer;
import io.edgeagent.config.AgentConfig;
import io.edgeagent.config.InputConfig;
import io.edgeagent.config.Problem;
import io.edgeagent.config.RuleFileReader;
import io.edgeagent.decode.DecodeException;
import io.edgeagent.decode.MessageDecoder;
import io.edgeagent.event.Derived;
import io.edgeagent.event.Event;
import io.edgeagent.event.InboundMessage;
import io.edgeagent.ingest.MqttIngest;
import io.edgeagent.metrics.Histogram;
import io.edgeagent.mqtt.ConnectionState;
import io.edgeagent.mqtt.MqttOptions;
import io.edgeagent.pipeline.InflightJournal;
import io.edgeagent.pipeline.MessageDecoding;
import io.edgeagent.pipeline.Pipeline;
import io.edgeagent.pipeline.PipelineCounters;
import io.edgeagent.pipeline.PipelineHealth;
import io.edgeagent.pipeline.PipelineSupervisor;
import io.edgeagent.rules.FiringSink;
import io.edgeagent.rules.HeapGuard;
import io.edgeagent.rules.RuleDirectory;
import io.edgeagent.rules.RuleEngine;
import io.edgeagent.rules.RuleStatus;
import io.edgeagent.bootstrap.JvmSettings;
import io.edgeagent.uplink.Uplink;
import io.edgeagent.uplink.UplinkStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the stages from the configuration and wires each to the sink it writes to.
 *
 * <pre>
 *   MQTT broker -> MqttIngest -> [bounded queue] -> Pipeline: MessageDecoder -> H2Buffer (group commit)
 *                                                                           \-> RuleEngine (Esper)
 *                                                                                  -> ActionDispatcher -> MQTT, programs,
 *                                                                                     (ActionLog)         HTTP, and
 *                                                                                     emit -> H2Buffer (derived events)
 * </pre>
 *
 * Start order is sinks first, sources last (buffer, actions, rules, pipeline, ingest), so nothing is received before
 * there is somewhere to put it; stop order is the reverse: ingest stops, the pipeline drains and acknowledges, rules
 * and actions finish, and the buffer closes last.
 */
public final class Agent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    /** Time given to each stage to finish during stop; the systemd unit's stop timeout covers their sum. */
    public static final Duration STAGE_STOP_DEADLINE = Duration.ofSeconds(5);
    /** Under the data directory: compiled rules kept across restarts. */
    public static final String COMPILED_RULES = "compiled-rules";
    /** Under the data directory: which messages the pipeline is working on, to break redelivery loops. */
    public static final String PIPELINE_JOURNAL = "pipeline.journal";

    private final AgentConfig config;
    private final FiringSink firingObserver;
    private final ActionListener actionListener;
    private final PipelineCounters counters = new PipelineCounters();
    /** The receive time of the event this thread is sending to the rules; see {@link #sendToRules}. */
    private final ThreadLocal<long[]> sending = ThreadLocal.withInitial(() -> new long[1]);
    private H2Buffer buffer;
    private MqttCommandPublisher publisher;
    private ActionLog actionLog;
    private ActionDispatcher dispatcher;
    private RuleEngine engine;
    private HeapGuard heapGuard;
    private RuleDirectory rules;
    private BlockingQueue<InboundMessage> queue;
    private InflightJournal journal;
    private PipelineSupervisor supervisor;
    private volatile Consumer<String> failureListener = reason -> { };
    private MqttIngest ingest;
    private AdminServer admin;
    private Uplink uplink;
    private List<Problem> ruleProblems = List.of();
    /** Guarded by this; see {@link AgentState} for the transitions. */
    private AgentState state = AgentState.CREATED;
    /** Set by {@link #stop} at once, so that a start in progress gives up at its next stage. */
    private volatile boolean stopRequested;

    /**
     * @param firingObserver told about every rule firing (the demo's live view); {@code (r, f) -> { }} for none
     * @param actionListener told about every finished action step
     */
    public Agent(AgentConfig config, FiringSink firingObserver, ActionListener actionListener) {
        this.config = config;
        this.firingObserver = firingObserver;
        this.actionListener = actionListener;
    }

    public Agent(AgentConfig config) {
        this(config, (rule, firing) -> { }, ActionListener.NONE);
    }

    /**
     * Starts the stages, sinks first. A {@link #stop} from another thread meanwhile (SIGTERM during start-up) makes
     * this give up before its next stage, stop what it started, and throw {@link StartAbandonedException}.
     *
     * @throws IllegalStateException when the agent was started or stopped before
     */
    public void start() {
        synchronized (this) {
            if (state != AgentState.CREATED) {
                throw new IllegalStateException("the agent cannot start: it is " + state);
            }
            state = AgentState.STARTING;
        }
        LOG.info("Starting edge-agent: broker {}, data directory {}, rules from {}.", config.broker().url(),
                config.data().directory(), config.rules().directory());
        try {
            proceed("the buffer");
            buffer = H2Buffer.open(config.data().directory(), config.buffer());
            // Bound now, served once the stages run: a taken port is reported before any connecting or compiling.
            admin = bindAdmin();
            proceed("the action publisher");
            publisher = new MqttCommandPublisher(config.broker());
            publisher.start();
            actionLog = ActionLog.open(config.data().directory());
            dispatcher = new ActionDispatcher(config.actions(), publisher, publisher, this::emit, actionLog,
                    name -> Optional.ofNullable(engine.definitions().get(name)), actionListener);
            proceed("the rules");
            JvmSettings.measureThreadCpuTime(config.rules().statementCpuTime());
            engine = new RuleEngine(config.geofences(), config.declaredEventTypes(), false, (rule, firing) -> {
                firingObserver.fired(rule, firing);
                dispatcher.dispatch(rule, firing, sending.get()[0]);
            }, config.data().directory().resolve(COMPILED_RULES));
            heapGuard = new HeapGuard(HeapGuard.DEFAULT_THRESHOLD, engine::disableLargest);
            if (config.rules().timeBudget()) {
                engine.startTimeBudget(config.rules().maxPipelineShare(), config.rules().budgetWindow());
            }
            rules = new RuleDirectory(config.rules().directory(), RuleFileReader.forConfig(config), engine);
            ruleProblems = rules.sync();
            LOG.info("Loaded {} rules from {} ({} files rejected).", engine.status().size(),
                    config.rules().directory(), rules.problems().size());
            if (config.rules().watch()) {
                rules.startWatching();
            }
            proceed("the pipeline");
            queue = new ArrayBlockingQueue<>(config.pipeline().queueCapacity());
            journal = InflightJournal.open(config.data().directory().resolve(PIPELINE_JOURNAL),
                    config.buffer().maxBatch());
            Pipeline pipeline = new Pipeline(queue, decoding(new MessageDecoder(config.inputs(),
                    config.declaredEventTypes(), config.pipeline().eventTime())), new BufferEventStore(buffer), this::sendToRules, journal,
                    config.buffer().commitInterval(), config.buffer().maxBatch(),
                    !MqttOptions.quickAcknowledgements(config.broker().url(), config.broker().tls()), counters);
            supervisor = new PipelineSupervisor(pipeline, config.pipeline().stallTimeout(),
                    reason -> failureListener.accept(reason));
            supervisor.start();
            proceed("the uplink");
            if (config.uplink().enabled()) {
                uplink = Uplink.create(config.uplink(), new BufferOutbox(buffer));
                uplink.start();
            }
            ingest = new MqttIngest(config.broker(), config.inputs().stream().map(InputConfig::topic).distinct().toList(),
                    queue::offer);
            proceed("the admin API");
            if (admin != null) {
                admin.start();
            }
            proceed("ingest");
            ingest.start();
        } catch (IOException e) {
            abandonStart();
            throw new UncheckedIOException("cannot start the admin API on " + config.admin().bind() + ":"
                    + config.admin().port() + ": " + e.getMessage(), e);
        } catch (StartAbandonedException e) {
            LOG.info("Stop requested while starting: not starting {} and later stages.", e.stage());
            abandonStart();
            throw e;
        } catch (RuntimeException e) {
            abandonStart();
            throw e;
        }
        synchronized (this) {
            if (stopRequested) {
                // The stop came after the last stage began: it waits for this, and this stops what it started.
                LOG.info("Stop requested while starting: stopping what started.");
                stopStages();
                state = AgentState.STOPPED;
                notifyAll();
                throw new StartAbandonedException("running");
            }
            state = AgentState.RUNNING;
            notifyAll();
        }
    }

    private void proceed(String stage) {
        if (stopRequested) {
            throw new StartAbandonedException(stage);
        }
    }

    /** Stops whatever a failed or abandoned start got to; the agent ends STOPPED and a waiting stop returns. */
    private void abandonStart() {
        try {
            stopStages();
        } finally {
            synchronized (this) {
                state = AgentState.STOPPED;
                notifyAll();
            }
        }
    }

    /** Where the agent is in its life. */
    public synchronized AgentState state() {
        return state;
    }

    /** @return the admin server, bound but not serving yet; null when the admin API is disabled */
    private AdminServer bindAdmin() throws IOException {
        if (!config.admin().enabled()) {
            return null;
        }
        return new AdminServer(config.admin(), AdminToken.loadOrCreate(config.admin().tokenFile()), new AgentAdmin(this));
    }

    private static MessageDecoding decoding(MessageDecoder decoder) {
        return message -> {
            try {
                return decoder.decode(message.topic(), message.payload(), message.receivedTime());
            } catch (DecodeException e) {
                throw new MessageDecoding.RejectedMessageException(e.getMessage());
            }
        };
    }

    /**
     * Told once, with a one-line reason, when a stage has failed beyond repair in this JVM (see
     * {@link PipelineSupervisor}); the agent is then not ready, and the listener should stop it and exit with
     * {@code 70} for systemd to restart it. Called from the failing stage's thread: it must return quickly.
     */
    public void onFailure(Consumer<String> listener) {
        this.failureListener = listener;
    }

    /** Waits until the ingest link is up (tests, the demo, readiness). */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return ingest.awaitConnected(timeout) && publisher.awaitConnected(timeout);
    }

    /**
     * Stops in reverse start order; safe to call more than once, from any thread, and from a shutdown hook. During a
     * start it waits until the start has given up and stopped what it started.
     */
    public synchronized void stop() {
        stopRequested = true;
        boolean interrupted = false;
        while (state == AgentState.STARTING) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (state == AgentState.STOPPED) {
            return;
        }
        if (state == AgentState.CREATED) {
            state = AgentState.STOPPED;
            return;
        }
        state = AgentState.STOPPING;
        try {
            stopStages();
        } finally {
            state = AgentState.STOPPED;
        }
    }

    private void stopStages() {
        // An agent refused by a check before its first stage (a taken admin port) has nothing to report stopping; one
        // asked to stop (SIGTERM during start-up) says that it did.
        boolean report = publisher != null || stopRequested;
        if (report) {
            LOG.info("Stopping edge-agent: ingest first, then drain the pipeline, storage last.");
        }
        if (admin != null) {
            admin.close();
        }
        if (ingest != null) {
            ingest.close(Duration.ofSeconds(1));
        }
        if (supervisor != null) {
            supervisor.stop(STAGE_STOP_DEADLINE);
        }
        if (journal != null) {
            journal.close();
        }
        if (rules != null) {
            rules.close();
        }
        if (heapGuard != null) {
            heapGuard.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (dispatcher != null) {
            dispatcher.close(STAGE_STOP_DEADLINE);
        }
        if (publisher != null) {
            publisher.close();
        }
        if (actionLog != null) {
            actionLog.close();
        }
        if (uplink != null) {
            uplink.close(STAGE_STOP_DEADLINE);
        }
        if (buffer != null) {
            buffer.close();
        }
        if (report) {
            LOG.info("edge-agent stopped: {} messages in, {} events stored, {} dead letters.", counters.messages(),
                    counters.events(), counters.decodeErrors());
        }
    }

    /**
     * Sends a stored event to the rules, remembering on this thread when it was received: a firing it causes is
     * dispatched on the same thread and measures its action's latency from there; a timer's firing finds 0.
     */
    private void sendToRules(Event event) {
        long[] received = sending.get();
        received[0] = event.receivedTime();
        try {
            engine.send(event);
        } finally {
            received[0] = 0;
        }
    }

    /** An {@code emit} step's derived event: stored and checkpointed like a device event, then uploaded. */
    private void emit(Derived event) {
        buffer.append(List.of(event), List.of());
        buffer.checkpoint();
    }

    @Override
    public void close() {
        stop();
    }

    public AgentConfig config() {
        return config;
    }

    public PipelineCounters counters() {
        return counters;
    }

    /** The uplink's counters, or null when {@code uplink.enabled} is false. */
    public UplinkStats uplinkStats() {
        return uplink == null ? null : uplink.stats();
    }

    /** The uplink's upload times, or null when {@code uplink.enabled} is false. */
    public Histogram uplinkUploadTime() {
        return uplink == null ? null : uplink.uploadTime();
    }

    public H2Buffer buffer() {
        return buffer;
    }

    /** Null before start. */
    public HeapGuard heapGuard() {
        return heapGuard;
    }

    public RuleEngine engine() {
        return engine;
    }

    public ActionDispatcher actions() {
        return dispatcher;
    }

    /** The pipeline's state; {@code RUNNING} before start. */
    public PipelineHealth pipelineHealth() {
        return supervisor == null ? PipelineHealth.RUNNING : supervisor.health();
    }

    /** The MQTT ingest's transport counters; null before start. */
    public MqttIngest ingest() {
        return ingest;
    }

    public ConnectionState connectionState() {
        return ingest == null ? ConnectionState.NEW : ingest.state();
    }

    public List<RuleStatus> rules() {
        return engine.status();
    }

    /** Problems of rule files that were rejected at start. */
    public List<Problem> ruleProblems() {
        return ruleProblems;
    }

    public RuleDirectory ruleDirectory() {
        return rules;
    }

    /** The admin API's port (useful when configured as 0), or -1 when it is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public String lastConnectionError() {
        return ingest == null ? "" : ingest.lastError();
    }

    public int queueDepth() {
        return queue == null ? 0 : queue.size();
    }
}
