package io.edgeagent.cli;

/** A count with its noun in the right number, for what the commands print: "1 event", "2 events". */
final class Plural {

    private Plural() {
    }

    /** {@code noun} is the singular; the plural adds "s". */
    static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }
}
