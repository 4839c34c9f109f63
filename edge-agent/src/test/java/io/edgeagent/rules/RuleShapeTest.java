package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RuleShapeTest {

    @Test
    void rulesDifferingOnlyInComparedConstants_haveOneShape_andTheirOwnValues() {
        RuleShape a = RuleShape.of("select deviceId, value from Reading(type = 'temperature' and value > 41.0)");
        RuleShape b = RuleShape.of("select deviceId, value from Reading(type = 'humidity' and 90 <= value)");

        assertThat(a.text()).isEqualTo("select deviceId, value from Reading(type = ?:c0:string and value > ?:c1:double)");
        assertThat(b.text()).isEqualTo("select deviceId, value from Reading(type = ?:c0:string and ?:c1:int <= value)");
        assertThat(a.parameters()).isEqualTo(Map.of("c0", "temperature", "c1", 41.0));
        assertThat(b.parameters()).isEqualTo(Map.of("c0", "humidity", "c1", 90));
    }

    @Test
    void whereAndHaving_takeParameters_windowsPatternsAndFunctionArgumentsDoNot() {
        RuleShape shape = RuleShape.of("select deviceId, avg(value) as average from Reading(type = 'temperature')"
                + "#groupwin(deviceId)#length(5) where prev(1, value) != 0.5 group by deviceId having avg(value) > 42.0;\n"
                + "select * from pattern [every a=Reading -> (timer:interval(15 sec) and not Reading(deviceId = a.deviceId))]");

        assertThat(shape.text()).isEqualTo("select deviceId, avg(value) as average from Reading(type = ?:c0:string)"
                + "#groupwin(deviceId)#length(5) where prev(1, value) != ?:c1:double group by deviceId having avg(value) > ?:c2:double;\n"
                + "select * from pattern [every a=Reading -> (timer:interval(15 sec) and not Reading(deviceId = a.deviceId))]");
    }

    /** Where Esper checks a constant while compiling, or uses it before parameters are set, it stays as written. */
    @Test
    void operandsOtherThanComparisons_stayAsWritten() {
        RuleShape shape = RuleShape.of("select * from Reading(deviceId regexp '[' and unit like 'a%' and type in ('a', 'b') "
                + "and value between 1 and 5 and value * 2 + 1 != 7 and current_timestamp().format('yyyy') = '1970')"
                + "#length(0) output every 5 events limit 3");

        assertThat(shape.constants()).extracting(RuleShape.Constant::value).containsExactly(1, 7, "1970");
        assertThat(shape.text()).contains("value * 2 + ?:c0:int != ?:c1:int", "format('yyyy') = ?:c2:string", "#length(0)");
    }

    @Test
    void createStatementsAndSetClauses_keepTheirConstants() {
        RuleShape shape = RuleShape.of("create variable double thr = 20;\n"
                + "@Hint('x') create window W#time(30 sec) as select * from Reading(value > 3);\n"
                + "on Reading(value > 5) set thr = 30, n = 2;\n"
                + "update istream Reading set value = 1 where value = 4;\n"
                + "select * from Reading(value > thr)");

        assertThat(shape.constants()).extracting(RuleShape.Constant::value).containsExactly(5, 4);
    }

    /** Esper lets annotations (with a space after the @), expression declarations and a context name come first. */
    @Test
    void createStatements_areFoundWhateverComesBeforeTheWord() {
        for (String prefix : List.of("@ Name('v') ", "expression lim {50} ", "context C ", "/* c */ @Hint('x')\n")) {
            RuleShape shape = RuleShape.of(prefix + "create variable boolean big = 100 > 50;\n"
                    + "select deviceId, big as b from Reading(value > 85)");

            assertThat(shape.constants()).as(prefix).extracting(RuleShape.Constant::value).containsExactly(85);
        }
    }

    @Test
    void stringsGluedToAWordOrACall_stayAsWritten() {
        assertThat(RuleShape.of("select * from Reading where type='temperature'and value>85").constants())
                .extracting(RuleShape.Constant::value).containsExactly(85);
        assertThat(RuleShape.of("select * from Reading where type = 'temperature'.toString() and value > 80").constants())
                .extracting(RuleShape.Constant::value).containsExactly(80);
    }

    @Test
    void selectListsAnnotationsCommentsAndEscapes_keepTheirConstants() {
        String epl = "@Hint('reclaim_group_aged=60') @Priority(2)\n"
                + "// above 5, or 'hot'\n"
                + "select value * 1.8 + 32 as f, 'x' = deviceId, (select count(*) from Reading#length(3) where value > 1) as n\n"
                + "from Reading(unit = 'it\\'s' and deviceId != \"a\" /* 7 */ and value > 3)";
        RuleShape shape = RuleShape.of(epl);

        // Esper names an unnamed column after its text: a parameter there would rename it.
        assertThat(shape.constants()).extracting(RuleShape.Constant::value).containsExactly("a", 3);
        assertThat(shape.text()).endsWith("deviceId != ?:c0:string /* 7 */ and value > ?:c1:int)");
    }

    @Test
    void signedNumbers_areOneConstant_whereEsperReadsThemSo() {
        assertThat(RuleShape.of("select * from Reading(value < -81.5)").parameters()).isEqualTo(Map.of("c0", -81.5));
        RuleShape subtraction = RuleShape.of("select * from Reading(value - 5 > 0)");
        assertThat(subtraction.text()).isEqualTo("select * from Reading(value - ?:c0:int > ?:c1:int)");
    }

    @Test
    void numberForms_followEspersTypes_andUnusualOnesStayAsWritten() {
        RuleShape shape = RuleShape.of("select * from Reading(a = 5 and b = 5L and c = 1.5 and d = 1.5f and e = 1e3 "
                + "and f = 2.5d and g = 0x1F and h = 2147483648 and i = 08 and j = 1_000 and k = .5 and l = 1e400)");

        assertThat(shape.constants()).extracting(RuleShape.Constant::type)
                .containsExactly("int", "long", "double", "float", "double", "double");
        assertThat(shape.constants()).extracting(RuleShape.Constant::value)
                .containsExactly(5, 5L, 1.5, 1.5f, 1000.0, 2.5);
    }

    @Test
    void ruleWithItsOwnSubstitutionParameters_hasNoConstantsTakenOut() {
        RuleShape shape = RuleShape.of("select * from Reading(type = 'a' and value > ?:limit:double)");

        assertThat(shape.constants()).isEmpty();
        assertThat(shape.text()).isEqualTo(shape.epl());
    }

    /**
     * Whatever a rule file holds (any characters, unclosed quotes and comments, stray operators, odd Unicode): the
     * scanner never throws, and the shape with each parameter replaced by its constant as written is the EPL again.
     */
    @Property(tries = 1000)
    void parametersPutBack_giveTheEplAsWritten(@ForAll("eplLike") String noise) {
        putBack("select deviceId from Reading(value > 4" + noise + " and type = 'a')");
        putBack(noise);
    }

    @Property(tries = 300)
    void anyTextAtAll_isScannedWithoutThrowing(@ForAll @StringLength(max = 200) String any) {
        putBack(any);
    }

    /** Text made of EPL's pieces, so that comparisons, quotes, comments and keywords meet in every order. */
    @Provide
    Arbitrary<String> eplLike() {
        return Arbitraries.of("value", " ", "\n", "=", "<", ">", "!=", "<>", ">=", "-", "+", "5", "4.5", "1e3", "7L", "2f",
                "'a'", "\"b\"", "'\\''", "'", "\"", "`x`", "/*", "*/", "//", "(", ")", "[", "]", "{", "}", ";", ",", ".",
                "?", "@", "@Hint('x')", "select", "from", "create", "set", "where", "variable", "=>", "->", "ü", "\uD83D\uDE00")
                .list().ofMaxSize(30).map(pieces -> String.join("", pieces));
    }

    private static void putBack(String epl) {
        RuleShape shape = RuleShape.of(epl);

        String text = shape.text();
        StringBuilder back = new StringBuilder();
        int at = 0;
        int shift = 0;
        for (int i = 0; i < shape.constants().size(); i++) {
            RuleShape.Constant c = shape.constants().get(i);
            String parameter = "?:c" + i + ":" + c.type();
            assertThat(text.startsWith(parameter, c.start() + shift)).as("parameter %s where its constant was", i).isTrue();
            back.append(text, at, c.start() + shift).append(epl, c.start(), c.end());
            at = c.start() + shift + parameter.length();
            shift += parameter.length() - (c.end() - c.start());
        }
        assertThat(back.append(text, at, text.length()).toString()).isEqualTo(epl);
        assertThat(shape.parameters()).hasSize(shape.constants().size());
        assertThat(shape.constants()).allSatisfy(c -> assertThat(c.start()).isBetween(0, c.end() - 1));
    }
}
