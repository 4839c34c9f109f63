package io.edgeagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgeagent.testing.TestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a YAML or JSON file can fail to parse reads as one plain sentence with line, column and expectation. */
class SyntaxErrorsTest {

    private static final Path ROOT = TestConfigs.repositoryRoot();
    private static final ConfigLoader NO_ENV = new ConfigLoader(new Placeholders(name -> null));
    /** The parsers' own vocabulary, which means nothing to a person editing config.yaml. */
    private static final List<String> JARGON = List.of("while parsing", "while scanning", "node", "scalar", "token",
            "end-of-input", "No content to map", "<stream end>", "<block", "code 125", "ObjectNode", "Deserialization");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            broker: [                      | 1 | column 10: | '[' or '{' before it is never closed
            broker: {url: tcp://a:1883     | 1 | column 9:  | this '{' is never closed
            inputs: [a, b                  | 1 | column 9:  | this '[' is never closed
            broker:\\n  url: a\\n url: b   | 3 | column 2:  | does not line up with the lines above it
            broker:\\n\\turl: x            | 2 | column 1:  | a tab character: YAML indents with spaces only
            broker: "abc                   | 1 | column 9:  | quoted value is never closed
            broker: b: c                   | 1 | column 10: | a ':' inside a value: put the value in quotes
            broker: @host                  | 1 | column 9:  | a value cannot start with '@': put the value in quotes
            broker: }                      | 1 | column 9:  | expected a value but found '}'
            inputs: [a, b}                 | 1 | column 14: | expected ',' or the closing ']' but found '}'
            broker:\\n  url: x\\n  url: y  | 3 | column 8:  | the key 'url' appears twice in the same section
            """)
    void parse_syntaxError_isOnePlainProblemWithLineColumnAndExpectation(String text, int line, String column,
                                                                        String message) {
        String yaml = text.strip().replace("\\n", "\n").replace("\\t", "\t") + "\n";

        List<Problem> problems = problems(yaml);

        assertThat(problems).as("one problem, not the half-bound document's complaints too").singleElement()
                .satisfies(p -> {
                    assertThat(p.line()).as(p.describe()).isEqualTo(line);
                    assertThat(p.message()).as(p.describe()).startsWith(column).contains(message);
                    assertThat(p.message()).as(p.describe()).doesNotContainIgnoringCase(JARGON.get(0));
                    JARGON.forEach(word -> assertThat(p.message()).as(p.describe()).doesNotContain(word));
                });
    }

    @Test
    void parse_emptyOrCommentOnlyFile_saysSoWithoutParserJargon() {
        for (String text : List.of("", "# nothing but a comment\n")) {
            assertThat(problems(text)).singleElement().satisfies(p -> {
                assertThat(p.describe()).isEqualTo("c.yaml: the file is empty (or holds only comments)");
            });
        }
    }

    @Test
    void parse_ruleFileSyntaxError_isTranslatedTheSameWay() {
        String rule = "name: hot\nepl: select * from Reading\nactions: [{type: log, message: hi}\n";

        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> RuleFileReader.fromSystem().parse(Path.of("hot.yaml"), rule));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.describe()).startsWith("hot.yaml:3: column 10: this '[' is never closed");
        });
    }

    @Test
    void locate_jsonSyntaxErrors_namePositionAndExpectationPlainly() {
        assertThat(json("{\"a\": }")).isEqualTo(new SyntaxErrors.Located(1, 7,
                "unexpected '}': expected a value (a string, number, list, object, true, false or null)"));
        assertThat(json("{\"a\": 1")).extracting(SyntaxErrors.Located::message)
                .isEqualTo("the text ends inside a '{' that is never closed: expected '}'");
        assertThat(json("{a: 1}")).extracting(SyntaxErrors.Located::message)
                .isEqualTo("expected a key in double quotes but found 'a'");
        assertThat(json("{\"a\": tru}")).extracting(SyntaxErrors.Located::message).asString()
                .startsWith("unexpected 'tru': expected a value");
    }

    private static SyntaxErrors.Located json(String text) {
        var e = catchThrowableOfType(com.fasterxml.jackson.core.JsonProcessingException.class,
                () -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(text));
        return SyntaxErrors.locate(e);
    }

    private static List<Problem> problems(String text) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> NO_ENV.parse("c.yaml", text, ROOT));
        assertThat(e).as("expected problems in:\n%s", text).isNotNull();
        return e.problems();
    }
}
