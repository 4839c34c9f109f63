package io.edgeagent.mqtt;

/** Where an MQTT link is in its life. */
public enum ConnectionState {
    /** Created, not started. */
    NEW,
    /** Trying to connect (first time or after a loss). */
    CONNECTING,
    CONNECTED,
    /** Lost; waiting for the next attempt. */
    DISCONNECTED,
    /** Closed for good. */
    STOPPED
}
