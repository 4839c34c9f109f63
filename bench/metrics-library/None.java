/** The JVM alone: the baseline the others are compared with. */
public class None {
    public static void main(String[] args) throws Exception {
        Workload.report("");
    }
}
