package io.edgeagent.uplink;

import io.edgeagent.event.BufferedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the events of a batch the target refused as it is that it refuses on their own: sends the two halves, older
 * first (so the accepted parts arrive in seq order), and the halves of a refused half, down to single events. An event
 * refused alone becomes a dead letter only when it was refused alone before and the target accepted something in
 * between: one refusal proves little when the target may be failing as a whole (a faulty deployment, a bad instance
 * behind a load balancer answering 400 to everything). Until then it stays in the outbox. A search that has accepted
 * nothing after {@link #budget} requests stops, after one {@link Search#probeNewest probe}. A part that fails otherwise
 * (a 503, a timeout) fails the attempt, and the whole batch is sent again: the parts accepted so far arrive twice, as
 * after any lost confirmation (docs/uplink.md).
 *
 * <p>Keeps across attempts what that rule needs: which events were refused alone, and how many requests the target
 * accepted. Used by the uplink thread only.
 */
final class RefusalSearch {

    /** One request's answer: accepted, or refused as it is; {@code summary} is its status and reason, for the log. */
    record Answer(boolean accepted, String summary, long bytes) {
    }

    /** Sends one batch; answers only when the target accepted or refused it as it is, and throws otherwise. */
    @FunctionalInterface
    interface Sender {
        Answer send(UplinkBatch batch) throws UplinkException, InterruptedException;
    }

    /** Events refused alone whose second solo refusal is awaited: at most this many are remembered. */
    private static final int REFUSED_ONCE_MAX = 10_000;

    /** Where a dead letter of a refused event was sent (the target without credentials). */
    private final String destination;
    /** The target, for messages. */
    private final String target;
    /** Requests the target accepted, whole batches and parts: what "accepted something in between" compares. */
    private long acceptedRequests;
    /**
     * Event id to {@link #acceptedRequests} when the target refused that event alone. In memory only: after a restart
     * an event has to be refused alone twice again.
     */
    private final Map<String, Long> refusedOnce = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REFUSED_ONCE_MAX;
        }
    };

    RefusalSearch(String destination, String target) {
        this.destination = destination;
        this.target = target;
    }

    /** Counts a request the target accepted: the evidence that it works. */
    void accepted() {
        acceptedRequests++;
    }

    /**
     * Searches {@code batch}, which the target refused as it is ({@code first}).
     *
     * @return the bytes of the accepted parts, when every event was accepted
     * @throws RejectedEventsException some events became dead letters or stay in the outbox; the rest was accepted
     * @throws UplinkException         nothing was accepted or rejected ({@link UplinkException#refusedAsItIs}), or a
     *                                 part failed otherwise
     */
    long search(UplinkBatch batch, Answer first, Sender sender)
            throws UplinkException, RejectedEventsException, InterruptedException {
        Search search = new Search(batch, sender);
        if (batch.size() == 1) {
            search.refusedAlone(batch.events().get(0), first);
        } else {
            search.halves(batch.events());
            search.probeNewest();
        }
        return search.outcome();
    }

    /**
     * Requests a search may make without the target accepting anything: enough to go down to the oldest single event
     * and through the oldest 16 events one by one (about 2 log2(size) + 30), so a run of refused events at the start
     * of a batch still finds the events after it; and what a target that refuses everything costs per attempt.
     */
    static int budget(int batchSize) {
        return 2 * (32 - Integer.numberOfLeadingZeros(batchSize)) + 30;
    }

    /** One batch's search. */
    private final class Search {

        private final UplinkBatch batch;
        private final Sender sender;
        private final int budget;
        private final List<Rejection> rejected = new ArrayList<>();
        private final List<BufferedEvent> kept = new ArrayList<>();
        /** Parts not sent because the budget ran out with nothing accepted: they stay in the outbox. */
        private final List<BufferedEvent> untried = new ArrayList<>();
        private int acceptedEvents;
        private long bytes;
        private int requests = 1;
        private String firstRefusal = "";

        Search(UplinkBatch batch, Sender sender) {
            this.batch = batch;
            this.sender = sender;
            this.budget = budget(batch.size());
        }

        void halves(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            int mid = events.size() / 2;
            part(events.subList(0, mid));
            part(events.subList(mid, events.size()));
        }

        private void part(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            if (acceptedEvents == 0 && requests >= budget) {
                untried.addAll(events);
            } else {
                attempt(events);
            }
        }

        private void attempt(List<BufferedEvent> events) throws UplinkException, InterruptedException {
            requests++;
            Answer answer = sender.send(UplinkBatch.of(events, batch.backlog()));
            if (answer.accepted()) {
                acceptedEvents += events.size();
                bytes += answer.bytes();
            } else if (events.size() == 1) {
                refusedAlone(events.get(0), answer);
            } else {
                halves(events);
            }
        }

        /**
         * When the budget ran out with nothing accepted, one more request tells a broken target from a long run of
         * refused events at the start of the batch: the newest untried event that the target has not refused alone
         * before (or else the newest), alone. In strict order every attempt sends the same oldest events, so each
         * refused probe moves the next attempt's probe one event back. Accepted, it arrives ahead of the older events
         * of its batch, and the events refused so far become dead letters when next refused alone; without it a batch
         * that always starts with the same run would never see an acceptance.
         */
        void probeNewest() throws UplinkException, InterruptedException {
            if (acceptedEvents > 0 || untried.isEmpty()) {
                return;
            }
            int probe = untried.size() - 1;
            for (int k = probe; k >= 0; k--) {
                if (!refusedOnce.containsKey(untried.get(k).id())) {
                    probe = k;
                    break;
                }
            }
            attempt(List.of(untried.remove(probe)));
        }

        void refusedAlone(BufferedEvent event, Answer answer) {
            if (firstRefusal.isEmpty()) {
                firstRefusal = answer.summary();
            }
            Long acceptedBefore = refusedOnce.get(event.id());
            if (acceptedBefore != null && acceptedBefore < acceptedRequests) {
                rejected.add(new Rejection(event, destination, "the endpoint refused the event on its own: "
                        + answer.summary()));
            } else {
                refusedOnce.put(event.id(), acceptedRequests);
                kept.add(event);
            }
        }

        long outcome() throws UplinkException, RejectedEventsException {
            if (acceptedEvents == 0 && rejected.isEmpty()) {
                throw UplinkException.refusedAsItIs("POST to " + target + " refused " + batch.size()
                        + (batch.size() == 1 ? " event" : " events and every part of them tried") + " (" + requests
                        + (requests == 1 ? " request; " : " requests; ") + firstRefusal + ")");
            }
            kept.addAll(untried);
            // Forgotten only now: a part that fails otherwise after them sends the whole batch again, and they must
            // still count as refused before.
            rejected.forEach(r -> refusedOnce.remove(r.event().id()));
            if (!rejected.isEmpty() || !kept.isEmpty()) {
                throw new RejectedEventsException(rejected, kept, bytes);
            }
            return bytes;
        }
    }
}
