package io.edgeagent.testing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.Page;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.LongDataType;

/**
 * Where the leaf pages of an H2 table lie in its file and which row keys each holds, read from the newest version
 * with H2's own MVStore (read-only): an oracle for damage tests that is independent of the salvage under test.
 */
public final class H2Pages {

    /** A leaf page: its byte range in the file and the row keys ({@code _ROWID_}) it holds. */
    public record Leaf(long position, int length, List<Long> keys) {
    }

    private H2Pages() {
    }

    /** The leaves, in key order, of the table map holding the most rows (H2 names table maps {@code table.<id>}). */
    public static List<Leaf> leavesOfLargestTable(Path file) {
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            MVMap<Long, Object> largest = null;
            for (String name : store.getMapNames()) {
                if (name.startsWith("table.")) {
                    // Row maps are keyed by the row id; the values (rows) are never decoded here.
                    MVMap<Long, Object> map = store.openMap(name,
                            new MVMap.Builder<Long, Object>().keyType(LongDataType.INSTANCE).valueType(new Unread()));
                    if (largest == null || map.getRootPage().getTotalCount() > largest.getRootPage().getTotalCount()) {
                        largest = map;
                    }
                }
            }
            List<Leaf> leaves = new ArrayList<>();
            collect(store.getLayoutMap(), largest.getRootPage(), file, leaves);
            return leaves;
        }
    }

    private static void collect(Map<String, String> layout, Page<Long, Object> page, Path file, List<Leaf> leaves) {
        if (!page.isLeaf()) {
            for (int i = 0; i < page.getRawChildPageCount(); i++) {
                collect(layout, page.getChildPage(i), file, leaves);
            }
            return;
        }
        long pos = page.getPos();
        Map<String, String> chunk = DataUtils.parseMap(
                layout.get("chunk." + Integer.toHexString(DataUtils.getPageChunkId(pos))));
        long position = DataUtils.parseHexLong(chunk.get("block")) * 4096 + DataUtils.getPageOffset(pos);
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < page.getKeyCount(); i++) {
            keys.add(page.getKey(i));
        }
        leaves.add(new Leaf(position, pageLength(file, position), keys));
    }

    /** A page starts with its length as a big-endian int. */
    private static int pageLength(Path file, long position) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            ByteBuffer length = ByteBuffer.allocate(4);
            channel.read(length, position);
            return length.flip().getInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads no value: only the keys and the page positions are wanted. */
    private static final class Unread extends BasicDataType<Object> {
        @Override
        public int getMemory(Object obj) {
            return 0;
        }

        @Override
        public void write(WriteBuffer buff, Object obj) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public Object read(ByteBuffer buff) {
            return null;
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }
}
