package io.edgeagent.decode;

/** A payload that cannot become an event; the message says which field and what was expected. */
public class DecodeException extends Exception {

    public DecodeException(String message) {
        super(message, null, false, false);
    }
}
