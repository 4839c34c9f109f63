package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.espertech.esper.common.client.EPCompiled;
import io.edgeagent.event.Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledRuleCacheTest {

    private static final String EPL = "select deviceId, value from Reading(value > 8)";

    @TempDir
    Path dir;

    private static EPCompiled compile(String epl) throws Exception {
        try (IsolatedEplCompiler compiler = new IsolatedEplCompiler()) {
            return compiler.compile(epl, "rule", Map.of());
        }
    }

    private CompiledRuleCache cacheIn(Path directory) {
        return new CompiledRuleCache(directory, List.of(Reading.class.getName()), "");
    }

    @Test
    void put_thenGet_returnsTheSameClassesAndManifest() throws Exception {
        CompiledRuleCache cache = cacheIn(dir);
        EPCompiled compiled = compile(EPL);
        String key = cache.key(EPL);

        cache.put(key, compiled);
        EPCompiled read = cacheIn(dir).get(key).orElseThrow();

        assertThat(read.getClasses().keySet()).isEqualTo(compiled.getClasses().keySet());
        compiled.getClasses().forEach((name, bytes) -> assertThat(read.getClasses().get(name)).isEqualTo(bytes));
        assertThat(read.getManifest().getModuleProviderClassName())
                .isEqualTo(compiled.getManifest().getModuleProviderClassName());
        assertThat(read.getManifest().getCompilerVersion()).isEqualTo(compiled.getManifest().getCompilerVersion());
    }

    @Test
    void get_neverStored_isEmpty() {
        assertThat(cacheIn(dir).get(cacheIn(dir).key(EPL))).isEmpty();
    }

    @Test
    void get_truncatedFile_isEmptyAndTheFileIsDeleted() throws Exception {
        CompiledRuleCache cache = cacheIn(dir);
        String key = cache.key(EPL);
        cache.put(key, compile(EPL));
        Path file = dir.resolve(key + ".epc");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(cache.get(key)).isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void get_oneFlippedBitInTheByteCode_isEmptyAndTheFileIsDeleted() throws Exception {
        CompiledRuleCache cache = cacheIn(dir);
        String key = cache.key(EPL);
        cache.put(key, compile(EPL));
        assertThat(cache.contains(key)).isTrue();
        Path file = dir.resolve(key + ".epc");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 0x10;
        Files.write(file, bytes);

        assertThat(cache.get(key)).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(cache.contains(key)).isFalse();
    }

    @Test
    void get_fileOfAnotherFormat_isEmpty() throws IOException {
        CompiledRuleCache cache = cacheIn(dir);
        String key = cache.key(EPL);
        Files.writeString(dir.resolve(key + ".epc"), "not a compiled rule");

        assertThat(cache.get(key)).isEmpty();
    }

    @Test
    void key_changesWithEplAndDependencies_andIsStableOtherwise() {
        CompiledRuleCache cache = cacheIn(dir);
        String key = cache.key(EPL);

        assertThat(cacheIn(dir).key(EPL)).isEqualTo(key);
        assertThat(cache.key(EPL + " ")).isNotEqualTo(key);
        assertThat(new CompiledRuleCache(dir, List.of(Reading.class.getName(), RuleEngine.class.getName()), "").key(EPL))
                .isNotEqualTo(key);
    }

    @Test
    void retainOnly_deletesEntriesNotNamedAndLeftoverTemporaryFiles() throws Exception {
        CompiledRuleCache cache = cacheIn(dir);
        EPCompiled compiled = compile(EPL);
        String kept = cache.key(EPL);
        String dropped = cache.key(EPL + " ");
        cache.put(kept, compiled);
        cache.put(dropped, compiled);
        Files.writeString(dir.resolve("half-written.epc.tmp"), "x");

        cache.retainOnly(Set.of(kept));

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly(kept + ".epc");
        }
        assertThat(dir.resolve("half-written.epc.tmp")).doesNotExist();
    }
}
