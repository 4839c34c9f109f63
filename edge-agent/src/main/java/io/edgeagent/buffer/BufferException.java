package io.edgeagent.buffer;

/** The buffer could not do what was asked; the message says what and where. */
public class BufferException extends RuntimeException {

    public BufferException(String message, Throwable cause) {
        super(message, cause);
    }

    public BufferException(String message) {
        super(message);
    }
}
