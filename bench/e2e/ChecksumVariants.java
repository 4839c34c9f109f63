import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Why OutboxChecksum.of puts the three strings and the event time into one array: the cost per row of three ways to
 * feed a CRC-32C the outbox columns it covers (a 215-byte body, a 32-character id, kind "Reading", device ids of 5-6
 * characters). a: a CRC32C.update(int) call per UTF-16 byte; b: an array per string (getBytes UTF-8); c: one array for
 * the strings (with their lengths) and the time. 3,000,000 rows per round; rounds 4 and 5 printed.
 *
 * Run: java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC bench/e2e/ChecksumVariants.java   (and without the first option, C2)
 */
public final class ChecksumVariants {
    static void upd(CRC32C crc, long v) { for (int s = 56; s >= 0; s -= 8) crc.update((int) (v >>> s)); }
    static void updS(CRC32C crc, String t) { upd(crc, t.length()); for (int i = 0; i < t.length(); i++) { char ch = t.charAt(i); crc.update(ch >>> 8); crc.update(ch); } }
    static int a(String id, String k, String d, long t, byte[] b) { CRC32C c = new CRC32C(); updS(c, id); updS(c, k); updS(c, d); upd(c, t); c.update(b); return (int) c.getValue(); }
    static int b(String id, String k, String d, long t, byte[] b) { CRC32C c = new CRC32C(); for (String s : new String[]{id,k,d}) { byte[] x = s.getBytes(StandardCharsets.UTF_8); upd(c, x.length); c.update(x);} upd(c, t); c.update(b); return (int) c.getValue(); }
    static int c(String id, String k, String d, long t, byte[] b) {
        byte[] buf = new byte[2 * (id.length() + k.length() + d.length()) + 20];
        int p = 0;
        for (String s : new String[]{id,k,d}) { int n = s.length(); buf[p++] = (byte)(n >>> 24); buf[p++] = (byte)(n >>> 16); buf[p++] = (byte)(n >>> 8); buf[p++] = (byte) n;
            for (int i = 0; i < n; i++) { char ch = s.charAt(i); buf[p++] = (byte)(ch >>> 8); buf[p++] = (byte) ch; } }
        for (int s = 56; s >= 0; s -= 8) buf[p++] = (byte)(t >>> s);
        CRC32C c = new CRC32C(); c.update(buf, 0, p); c.update(b); return (int) c.getValue(); }
    public static void main(String[] x) {
        byte[] body = new byte[215]; Arrays.fill(body, (byte) 'a');
        String[] devs = new String[64]; for (int i = 0; i < 64; i++) devs[i] = "dev-" + i;
        long sink = 0;
        for (int round = 0; round < 5; round++) for (char v : new char[]{'a','b','c'}) {
            long st = System.nanoTime(); int n = 3_000_000;
            for (int i = 0; i < n; i++) { String d = devs[i & 63]; long t = 1795335330000L + i;
                sink += v == 'a' ? a("6f1c2e9a4b7d8e0f1a2b3c4d5e6f7a8b", "Reading", d, t, body) : v == 'b' ? b("6f1c2e9a4b7d8e0f1a2b3c4d5e6f7a8b", "Reading", d, t, body) : c("6f1c2e9a4b7d8e0f1a2b3c4d5e6f7a8b", "Reading", d, t, body); }
            if (round >= 3) System.out.printf("%c: %.1f ns%n", v, (System.nanoTime() - st) / (double) n);
        }
        System.out.println(sink);
    }
}
