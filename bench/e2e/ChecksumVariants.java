import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Why OutboxChecksum.of puts the three strings and the event time into one array: the cost per row of three ways to
 * feed a CRC-32C the outbox columns it covers (a 215-byte body, a 32-character id, kind "Reading", device ids of 5-6
 * characters). a: a CRC32C.update(int) call per UTF-16 byte; b: an array per string (getBytes UTF-8); c: the agent's
 * own OutboxChecksum.of (one array for the strings, with their lengths, and the time), called through a constant
 * method handle, which the JIT inlines, since the class is package-private. 3,000,000 rows per round; rounds 4 and 5
 * printed.
 *
 * Run (after ./mvnw -q package -DskipTests):
 *   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp edge-agent/target/edge-agent.jar bench/e2e/ChecksumVariants.java
 * and without the first option for C2.
 */
public final class ChecksumVariants {

    private static final String ID = "6f1c2e9a4b7d8e0f1a2b3c4d5e6f7a8b";
    private static final MethodHandle AGENT = agentChecksum();

    interface Variant {
        int of(String id, String kind, String deviceId, long eventTime, byte[] body);
    }

    static void updateLong(CRC32C crc, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (value >>> shift));
        }
    }

    static int callPerByte(String id, String kind, String deviceId, long eventTime, byte[] body) {
        CRC32C crc = new CRC32C();
        for (String text : new String[] {id, kind, deviceId}) {
            updateLong(crc, text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                crc.update(c >>> 8);
                crc.update(c);
            }
        }
        updateLong(crc, eventTime);
        crc.update(body);
        return (int) crc.getValue();
    }

    static int arrayPerString(String id, String kind, String deviceId, long eventTime, byte[] body) {
        CRC32C crc = new CRC32C();
        for (String text : new String[] {id, kind, deviceId}) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            updateLong(crc, bytes.length);
            crc.update(bytes);
        }
        updateLong(crc, eventTime);
        crc.update(body);
        return (int) crc.getValue();
    }

    private static MethodHandle agentChecksum() {
        try {
            Class<?> type = Class.forName("io.edgeagent.buffer.OutboxChecksum");
            var of = type.getDeclaredMethod("of", String.class, String.class, String.class, long.class, byte[].class);
            of.setAccessible(true);
            return MethodHandles.lookup().unreflect(of);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("put edge-agent/target/edge-agent.jar on the class path (-cp)", e);
        }
    }

    static int agent(String id, String kind, String deviceId, long eventTime, byte[] body) {
        try {
            return (int) AGENT.invokeExact(id, kind, deviceId, eventTime, body);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        byte[] body = new byte[215];
        Arrays.fill(body, (byte) 'a');
        String[] devices = new String[64];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = "dev-" + i;
        }
        String[] names = {"a: a call per byte", "b: an array per string", "c: one array (OutboxChecksum.of)"};
        Variant[] variants = {ChecksumVariants::callPerByte, ChecksumVariants::arrayPerString, ChecksumVariants::agent};
        int rows = 3_000_000;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            for (int v = 0; v < variants.length; v++) {
                long started = System.nanoTime();
                for (int i = 0; i < rows; i++) {
                    sink += variants[v].of(ID, "Reading", devices[i & 63], 1_795_335_330_000L + i, body);
                }
                if (round >= 3) {
                    System.out.printf("%s: %.1f ns per row%n", names[v], (System.nanoTime() - started) / (double) rows);
                }
            }
        }
        System.out.println("(checksum sum, so the work is not optimised away: " + sink + ")");
    }
}
