package io.edgeagent.rules;

import com.espertech.esper.common.client.hook.expr.EPLMethodInvocationContext;

/**
 * The EPL functions rules call. Esper calls static methods, so the fences of each engine are found in its runtime's
 * {@link RuntimeServices}, through the runtime URI that Esper passes in the invocation context; several engines
 * (tests, the demo) can run side by side.
 *
 * <ul>
 *   <li>{@code distance(lat1, lon1, lat2, lon2)}: metres between two positions.</li>
 *   <li>{@code fence('name', lat, lon)} / {@code fence('name', lat, lon, accuracy)}: {@code 'inside'},
 *       {@code 'outside'} or {@code 'border'} (within the fence's margin plus the accuracy).</li>
 *   <li>{@code insideFence('name', lat, lon)}: true when strictly inside, ignoring margins.</li>
 *   <li>{@code fenceDistance('name', lat, lon)}: metres from the border, negative inside.</li>
 * </ul>
 */
public final class FenceFunctions {

    public static final String INSIDE = "inside";
    public static final String OUTSIDE = "outside";
    public static final String BORDER = "border";

    private FenceFunctions() {
    }

    public static double distance(double lat1, double lon1, double lat2, double lon2) {
        return Geo.distance(lat1, lon1, lat2, lon2);
    }

    public static String fence(String name, Double lat, Double lon, EPLMethodInvocationContext context) {
        return fence(name, lat, lon, null, context);
    }

    /** Null when the position is unknown (e.g. {@code prev(1, lat)} on a device's first fix). */
    public static String fence(String name, Double lat, Double lon, Double accuracy, EPLMethodInvocationContext context) {
        Geofence fence = lookup(name, context);
        if (fence == null || lat == null || lon == null) {
            return null;
        }
        return fence.side(lat, lon, accuracy == null ? 0 : accuracy);
    }

    public static Boolean insideFence(String name, Double lat, Double lon, EPLMethodInvocationContext context) {
        Geofence fence = lookup(name, context);
        return fence == null || lat == null || lon == null ? null : fence.signedDistance(lat, lon) < 0;
    }

    public static Double fenceDistance(String name, Double lat, Double lon, EPLMethodInvocationContext context) {
        Geofence fence = lookup(name, context);
        return fence == null || lat == null || lon == null ? null : fence.signedDistance(lat, lon);
    }

    /**
     * Deploy-time checks catch literal fence names; a computed name that matches no fence is counted as an error of
     * the calling rule and the function answers null (so the condition is false), instead of throwing.
     */
    private static Geofence lookup(String name, EPLMethodInvocationContext context) {
        RuntimeServices services = RuntimeServices.of(context.getRuntimeURI());
        Geofence fence = services == null ? null : services.fences().get(name);
        if (fence == null) {
            RuleClassLoader.Owner caller = RuleClassLoader.ownerOnStack();
            RuntimeErrors.report(services, caller == null ? null : caller.rule(), "unknown geofence '" + name + "'");
        }
        return fence;
    }
}
