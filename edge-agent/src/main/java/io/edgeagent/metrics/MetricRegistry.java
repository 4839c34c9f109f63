package io.edgeagent.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * What the agent counts, each family registered once with its name, type, help and labels, read through callbacks
 * when someone asks (Telegraf's selfstat, Prometheus's callback metrics): the stages keep their own counters, the
 * registry only knows how to read them. {@code /metrics} is rendered from it by {@link PrometheusText}, and the test
 * that docs/admin-api.md lists every metric reads {@link #families()}.
 *
 * <p>A bad registration (a counter not ending in {@code _total}, a name used twice, a histogram not in seconds) throws
 * at start-up, so a mistake never reaches a scrape. Registration happens while the agent is composed; reading may
 * happen on any admin thread.
 */
public final class MetricRegistry {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> UNITS = Set.of("seconds", "bytes");

    public enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        String exposition() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One family as documented: {@code unit} is the base unit its name ends in ({@code seconds}, {@code bytes}) or
     * empty for a plain count.
     */
    public record Family(String name, Type type, String help, String unit, List<String> labels) {
    }

    /** Reads a family's samples at scrape time. */
    interface Collector {
        void collect(Scrape scrape, PrometheusText.Samples samples);
    }

    /** One family's registration; {@link #onlyWhen} hides it while its stage does not exist (no uplink). */
    public static final class Registration {
        final Family family;
        final Collector collector;
        volatile BooleanSupplier present = () -> true;

        Registration(Family family, Collector collector) {
            this.family = family;
            this.collector = collector;
        }

        public Registration onlyWhen(BooleanSupplier condition) {
            this.present = condition;
            return this;
        }
    }

    /** Per-scrape memory, so that families sharing one set of items (every rule) read it once. */
    static final class Scrape {
        private final Map<Object, Collection<?>> items = new IdentityHashMap<>();

        @SuppressWarnings("unchecked")
        <T> Collection<T> items(Object owner, Supplier<? extends Collection<T>> source) {
            return (Collection<T>) items.computeIfAbsent(owner, o -> source.get());
        }
    }

    private final Map<String, Registration> registrations = new LinkedHashMap<>();

    public Registration counter(String name, String help, LongSupplier value) {
        return add(new Family(name, Type.COUNTER, help, unit(name), List.of()),
                (scrape, out) -> out.sample("", List.of(), value.getAsLong()));
    }

    public Registration gauge(String name, String help, DoubleSupplier value) {
        return add(new Family(name, Type.GAUGE, help, unit(name), List.of()),
                (scrape, out) -> out.sample("", List.of(), value.getAsDouble()));
    }

    /** A counter with one label, e.g. {@code outcome}: one sample per entry, in the map's order. */
    public Registration counters(String name, String help, String label, Supplier<Map<String, ? extends Number>> values) {
        return add(new Family(name, Type.COUNTER, help, unit(name), List.of(label)), labelled(values));
    }

    /** A gauge with one label, e.g. {@code area}: one sample per entry, in the map's order. */
    public Registration gauges(String name, String help, String label, Supplier<Map<String, ? extends Number>> values) {
        return add(new Family(name, Type.GAUGE, help, unit(name), List.of(label)), labelled(values));
    }

    /** A histogram in seconds; absent while {@code histogram} gives null (its stage is not running). */
    public Registration histogram(String name, String help, Supplier<Histogram> histogram) {
        if (!name.endsWith("_seconds")) {
            throw new IllegalArgumentException("histogram " + name + " must measure seconds and end in _seconds");
        }
        return add(new Family(name, Type.HISTOGRAM, help, "seconds", List.of()), (scrape, out) -> {
            Histogram h = histogram.get();
            if (h != null) {
                out.histogram(h.snapshot());
            }
        });
    }

    /**
     * Families with one sample per item, such as per rule: the items are read once per scrape for all of them.
     *
     * @param label     the label that tells the items apart
     * @param items     the items now
     * @param labelOf   an item's label value
     */
    public <T> PerItem<T> perItem(String label, Supplier<? extends Collection<T>> items, Function<T, String> labelOf) {
        return new PerItem<>(label, items, labelOf);
    }

    /** Families over the same items; register each with one call. */
    public final class PerItem<T> {
        private final String label;
        private final Supplier<? extends Collection<T>> items;
        private final Function<T, String> labelOf;

        private PerItem(String label, Supplier<? extends Collection<T>> items, Function<T, String> labelOf) {
            this.label = label;
            this.items = items;
            this.labelOf = labelOf;
        }

        public PerItem<T> counter(String name, String help, ToDoubleFunction<T> value) {
            add(new Family(name, Type.COUNTER, help, unit(name), List.of(label)), (scrape, out) -> {
                for (T item : scrape.items(this, items)) {
                    out.sample("", List.of(labelOf.apply(item)), value.applyAsDouble(item));
                }
            });
            return this;
        }
    }

    /** Every registered family, in registration order, whether its stage runs now or not. */
    public synchronized List<Family> families() {
        return registrations.values().stream().map(r -> r.family).toList();
    }

    /** The families present now with their collectors, in registration order. */
    synchronized List<Registration> present() {
        List<Registration> present = new ArrayList<>();
        for (Registration r : registrations.values()) {
            if (r.present.getAsBoolean()) {
                present.add(r);
            }
        }
        return present;
    }

    private static Collector labelled(Supplier<Map<String, ? extends Number>> values) {
        return (scrape, out) -> values.get().forEach((labelValue, value) ->
                out.sample("", List.of(labelValue), value.doubleValue()));
    }

    private synchronized Registration add(Family family, Collector collector) {
        String name = family.name();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name " + name + " is not [a-zA-Z_][a-zA-Z0-9_]*");
        }
        if (registrations.containsKey(name)) {
            throw new IllegalArgumentException("metric " + name + " is registered twice");
        }
        if (family.type() == Type.COUNTER != name.endsWith("_total")) {
            throw new IllegalArgumentException("metric " + name + ": counters, and only counters, end in _total");
        }
        if (family.help().isBlank()) {
            throw new IllegalArgumentException("metric " + name + " needs a help text");
        }
        for (String label : family.labels()) {
            if (!NAME.matcher(label).matches() || label.startsWith("__") || label.equals("le")) {
                throw new IllegalArgumentException("metric " + name + ": label " + label + " is not allowed");
            }
        }
        Registration registration = new Registration(family, collector);
        registrations.put(name, registration);
        return registration;
    }

    /** The base unit the name ends in, before {@code _total}: Prometheus names carry their unit. */
    private static String unit(String name) {
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        String last = base.substring(base.lastIndexOf('_') + 1);
        return UNITS.contains(last) ? last : "";
    }
}
