package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgeagent.testing.TestConfigs;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the declared keys ({@link Field}), config.yaml and docs/configuration.md from drifting apart: every record
 * component is a declared key, config.yaml shows every key of the fixed sections with exactly its declared default,
 * and the reference documents every key.
 */
class ConfigDocumentationTest {

    private static final Path ROOT = TestConfigs.repositoryRoot();
    /** Keys under a list or a map of named entries, whose entries in config.yaml are examples, not defaults. */
    private static final String EACH = "*";

    /** A declared key: its dotted path (with {@code *} for each entry of a list or map) and where it is declared. */
    private record Key(String path, Class<?> section, Field<?> field) {

        boolean inEntries() {
            return path.contains(EACH);
        }

        String top() {
            return path.split("\\.")[0];
        }

        String leaf() {
            return path.substring(path.lastIndexOf('.') + 1);
        }
    }

    @Test
    void everyRecordComponent_isADeclaredField() {
        List<String> undeclared = new ArrayList<>();
        keys(AgentConfig.class, "", undeclared);

        assertThat(undeclared).as("components without a Field constant of the same name in their record").isEmpty();
    }

    @Test
    void repositoryConfig_showsEveryKeyOfItsSections() throws IOException {
        JsonNode shown = new YAMLMapper().readTree(ROOT.resolve("config.yaml").toFile());

        List<String> missing = keys().stream().filter(k -> !k.inEntries())
                .filter(k -> shown.at("/" + k.path().replace('.', '/')).isMissingNode())
                .map(Key::path).toList();

        assertThat(missing).as("keys config.yaml does not show with their default").isEmpty();
    }

    @Test
    void repositoryConfig_showsTheDeclaredDefaultOfEveryKey() throws ConfigException {
        AgentConfig shown = new ConfigLoader(new Placeholders(name -> null)).load(ROOT.resolve("config.yaml"));
        AgentConfig defaults = new AgentConfig(null, null, null, null, null, null, null, null, null, null, null)
                .resolve(ROOT);

        List<String> differ = new ArrayList<>();
        for (Key key : keys()) {
            if (!key.inEntries() && !key.path().equals("geofences")) {
                Object inFile = valueAt(shown, key.path());
                Object declared = valueAt(defaults, key.path());
                if (!Objects.equals(declared, inFile)) {
                    differ.add(key.path() + ": config.yaml shows " + Field.display(inFile) + ", the default is "
                            + Field.display(declared));
                }
            }
        }

        assertThat(differ).as("config.yaml says every key shows its default").isEmpty();
        assertThat(shown.geofences()).as("geofences: config.yaml shows an example; none by default").isNotEmpty();
        assertThat(defaults.geofences()).isEmpty();
    }

    @Test
    void configurationReference_documentsEveryKey() throws IOException {
        String reference = Files.readString(ROOT.resolve("docs/configuration.md"));

        List<String> undocumented = keys().stream()
                .filter(k -> !documented(k, section(reference, k.top())))
                .map(Key::path).toList();

        assertThat(undocumented).as("keys missing from their section of docs/configuration.md").isEmpty();
    }

    /** A section key has its own heading; a key inside it is named in backticks, alone or in a dotted path. */
    private static boolean documented(Key key, String section) {
        if (key.path().equals(key.top())) {
            return !section.isEmpty();
        }
        return Pattern.compile("`[^`\\n]*\\b" + Pattern.quote(key.leaf()) + "\\b[^`\\n]*`").matcher(section).find();
    }

    /** The text under the {@code ## } heading that names {@code top} ("## pipeline, actions" names both). */
    private static String section(String reference, String top) {
        String[] parts = reference.split("\n## ");
        return Arrays.stream(parts)
                .filter(p -> Arrays.stream(p.substring(0, p.indexOf('\n')).split(",")).map(String::strip)
                        .anyMatch(top::equals))
                .findFirst().orElse("");
    }

    private static List<Key> keys() {
        List<String> undeclared = new ArrayList<>();
        List<Key> keys = keys(AgentConfig.class, "", undeclared);
        assertThat(undeclared).isEmpty();
        return keys;
    }

    /** Every leaf key under {@code record}, descending into sections and into lists and maps of records. */
    private static List<Key> keys(Class<?> record, String prefix, List<String> undeclared) {
        List<Key> keys = new ArrayList<>();
        Map<String, Field<?>> fields = Field.declaredBy(record);
        for (RecordComponent component : record.getRecordComponents()) {
            String path = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            Field<?> field = fields.get(component.getName());
            if (field == null) {
                undeclared.add(record.getSimpleName() + "." + component.getName());
            }
            Class<?> entry = entryRecord(component.getGenericType());
            if (isSection(component.getType())) {
                keys.addAll(keys(component.getType(), path, undeclared));
            } else if (entry != null) {
                keys.add(new Key(path, record, field));
                keys.addAll(keys(entry, path + "." + EACH, undeclared));
            } else {
                keys.add(new Key(path, record, field));
            }
        }
        return keys;
    }

    /** A record of keys, as opposed to a record that is one value (a ByteSize). */
    private static boolean isSection(Class<?> type) {
        return type.isRecord() && !Field.declaredBy(type).isEmpty();
    }

    /** The record type of the entries of a List or Map component, or null. */
    private static Class<?> entryRecord(Type type) {
        if (type instanceof ParameterizedType p) {
            Type[] arguments = p.getActualTypeArguments();
            Type last = arguments[arguments.length - 1];
            if (last instanceof Class<?> c && isSection(c)) {
                return c;
            }
        }
        return null;
    }

    private static Object valueAt(Object config, String path) {
        Object value = config;
        for (String name : path.split("\\.")) {
            try {
                value = value.getClass().getMethod(name).invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot read " + path, e);
            }
        }
        return value;
    }
}
