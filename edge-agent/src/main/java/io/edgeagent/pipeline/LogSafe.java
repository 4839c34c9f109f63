package io.edgeagent.pipeline;

/** Placeholder replaced at merge by the shared escaping helper. */
final class LogSafe {

    private LogSafe() {
    }

    static String text(String s) {
        return s;
    }
}
