package io.edgeagent.rules;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Live counters of one rule; updated from Esper's threads, read by admin threads. */
final class RuleCounters {

    final AtomicLong matched = new AtomicLong();
    final AtomicLong fired = new AtomicLong();
    final AtomicLong suppressed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong lastFired = new AtomicLong();
    final AtomicLong limitRefusals = new AtomicLong();
    final AtomicReference<String> lastError = new AtomicReference<>();
}
