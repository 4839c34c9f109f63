package io.edgeagent.rules;

import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import io.edgeagent.config.GeofenceConfig;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the EPL functions ({@link FenceFunctions}) and Esper's error and condition handlers ({@link RuntimeErrors})
 * of one runtime need from the engine that owns it: its geofences and where its rules' errors are counted.
 *
 * <p>Esper calls those functions statically and instantiates the handlers by class name, so they cannot be handed
 * an object. Esper's transient configuration is the runtime's own place for such objects (kept by reference, never
 * copied or serialized): the engine puts this record there before creating the runtime, and the functions and
 * handlers find it through the runtime URI that Esper passes them. It goes away with the runtime, so no registry
 * of ours outlives an engine, and engines side by side (tests, the demo) never see each other's fences.
 */
record RuntimeServices(Map<String, Geofence> fences, RuntimeErrors.Sink errors) {

    private static final String KEY = RuntimeServices.class.getName();

    static RuntimeServices create(Map<String, GeofenceConfig> geofences, RuntimeErrors.Sink errors) {
        Map<String, Geofence> fences = new LinkedHashMap<>();
        geofences.forEach((name, config) -> fences.put(name, new Geofence(name, config)));
        return new RuntimeServices(Map.copyOf(fences), errors);
    }

    /** Adds this to {@code configuration}'s transient part, for the runtime created from it. */
    void addTo(Configuration configuration) {
        Map<String, Object> transients = new HashMap<>(configuration.getCommon().getTransientConfiguration());
        transients.put(KEY, this);
        configuration.getCommon().setTransientConfiguration(transients);
    }

    /** The services of the runtime {@code runtimeUri}; null once it is destroyed (or for a runtime not ours). */
    static RuntimeServices of(String runtimeUri) {
        EPRuntime runtime = EPRuntimeProvider.getExistingRuntime(runtimeUri);
        if (runtime == null) {
            return null;
        }
        return runtime.getConfigurationTransient().get(KEY) instanceof RuntimeServices services ? services : null;
    }
}
