package io.edgeagent.mqtt;

import java.io.ByteArrayInputStream;

/** Bytes in memory that count the calls a stream over them makes which each cost a system call on a socket. */
final class CallCountingStream extends ByteArrayInputStream {

    int singleByteReads;
    int availableCalls;

    CallCountingStream(byte[] bytes) {
        super(bytes);
    }

    @Override
    public synchronized int read() {
        singleByteReads++;
        return super.read();
    }

    @Override
    public synchronized int available() {
        availableCalls++;
        return super.available();
    }
}
