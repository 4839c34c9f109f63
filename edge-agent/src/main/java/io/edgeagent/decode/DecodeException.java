package io.edgeagent.decode;

import io.edgeagent.logtext.ControlChars;

/**
 * A payload that cannot become an event; the message says which field and what was expected. The message quotes
 * device data, so its control characters are escaped here, once for every reason: in logs, dead letters and the CLI
 * it stays one line.
 */
public class DecodeException extends Exception {

    public DecodeException(String message) {
        super(ControlChars.escape(message), null, false, false);
    }
}
