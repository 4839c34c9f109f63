package io.edgeagent.actions;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What an action step parses from its configuration (templates, conditions), kept so that a run does not parse it
 * again. Keys come from rule files, not from events, so the set is small; the bound is for a gateway whose rules are
 * replaced over months: when it is reached the cache starts again empty, which costs one parse per template.
 */
final class BoundedCache<K, V> {

    private final int limit;
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();

    BoundedCache(int limit) {
        this.limit = limit;
    }

    V get(K key, Function<? super K, ? extends V> make) {
        V value = entries.get(key);
        if (value != null) {
            return value;
        }
        if (entries.size() >= limit) {
            entries.clear();
        }
        return entries.computeIfAbsent(key, make);
    }

    /** A key equal only to itself: configuration trees, whose deep equality would cost as much as parsing them. */
    record Identity(Object value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.value == value;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(value);
        }
    }
}
