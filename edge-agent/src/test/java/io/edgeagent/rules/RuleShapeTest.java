package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RuleShapeTest {

    private static Set<Integer> all(RuleShape shape) {
        Set<Integer> all = new HashSet<>();
        IntStream.range(0, shape.constants().size()).forEach(all::add);
        return all;
    }

    @Test
    void rulesDifferingOnlyInConstants_haveOneShape_andTheirOwnValues() {
        RuleShape a = RuleShape.of("select deviceId, value from Reading(type = 'temperature' and value > 41.0)");
        RuleShape b = RuleShape.of("select deviceId, value from Reading(type = 'humidity' and value > 90)");

        assertThat(a.text(Set.of())).isEqualTo(
                "select deviceId, value from Reading(type = ?:c0:string and value > ?:c1:double)");
        assertThat(b.text(Set.of())).isEqualTo(
                "select deviceId, value from Reading(type = ?:c0:string and value > ?:c1:int)");
        assertThat(a.parameters(Set.of())).isEqualTo(Map.of("c0", "temperature", "c1", 41.0));
        assertThat(b.parameters(Set.of())).isEqualTo(Map.of("c0", "humidity", "c1", 90));
    }

    @Test
    void windowsPatternsAndHaving_takeParameters() {
        RuleShape shape = RuleShape.of("select deviceId, avg(value) as average from Reading(type = 'temperature')"
                + "#groupwin(deviceId)#length(5) group by deviceId having avg(value) > 42.0;\n"
                + "select * from pattern [every a=Reading -> (timer:interval(15 sec) and not Reading(deviceId = a.deviceId))]");

        assertThat(shape.text(Set.of())).isEqualTo("select deviceId, avg(value) as average from Reading(type = ?:c0:string)"
                + "#groupwin(deviceId)#length(?:c1:int) group by deviceId having avg(value) > ?:c2:double;\n"
                + "select * from pattern [every a=Reading -> (timer:interval(?:c3:int sec) and not Reading(deviceId = a.deviceId))]");
    }

    @Test
    void selectListsAnnotationsCommentsAndEscapes_keepTheirConstants() {
        String epl = "@Hint('reclaim_group_aged=60') @Priority(2)\n"
                + "// above 5, or 'hot'\n"
                + "select value * 1.8 + 32 as f, 'x', (select count(*) from Reading#length(3) where value > 1) as n\n"
                + "from Reading(unit = 'it\\'s' and deviceId != \"a\" /* 7 */ and value > 3)";
        RuleShape shape = RuleShape.of(epl);

        // Esper names an unnamed column after its text: a parameter there would rename it.
        assertThat(shape.constants()).extracting(RuleShape.Constant::value).containsExactly("a", 3);
        assertThat(shape.text(Set.of())).endsWith("deviceId != ?:c0:string /* 7 */ and value > ?:c1:int)");
    }

    @Test
    void signedNumbers_areOneConstant_whereEsperReadsThemSo() {
        assertThat(RuleShape.of("select * from Reading(value < -81.5)").parameters(Set.of())).isEqualTo(Map.of("c0", -81.5));
        RuleShape subtraction = RuleShape.of("select * from Reading(value - 5 > 0)");
        assertThat(subtraction.text(Set.of())).isEqualTo("select * from Reading(value - ?:c0:int > ?:c1:int)");
    }

    @Test
    void numberForms_followEspersTypes_andUnusualOnesStayAsWritten() {
        RuleShape shape = RuleShape.of("select * from Reading(a = 5 and b = 5L and c = 1.5 and d = 1.5f and e = 1e3 "
                + "and f = 2.5d and g = 0x1F and h = 2147483648 and i = 08 and j = 1_000 and k = .5)");

        assertThat(shape.constants()).extracting(RuleShape.Constant::type)
                .containsExactly("int", "long", "double", "float", "double", "double");
        assertThat(shape.constants()).extracting(RuleShape.Constant::value)
                .containsExactly(5, 5L, 1.5, 1.5f, 1000.0, 2.5);
    }

    @Test
    void ruleWithItsOwnSubstitutionParameters_hasNoConstantsTakenOut() {
        assertThat(RuleShape.of("select * from Reading(type = 'a' and value > ?)").constants()).isEmpty();
    }

    @Test
    void constantAt_findsTheParameterEsperPointsAt() {
        RuleShape shape = RuleShape.of("select * from Reading(type = 'a')\nlimit 10");
        String text = shape.text(Set.of());
        int column = text.indexOf("?:c1") - text.indexOf('\n') - 1;

        assertThat(shape.constantAt(2, column, Set.of())).isEqualTo(1);
        assertThat(shape.constantAt(2, 0, Set.of())).isEqualTo(-1);
        assertThat(shape.constantAt(1, text.indexOf("?:c0"), Set.of(1))).isZero();
    }

    @Property(tries = 500)
    void everyConstantKeptAsWritten_givesBackTheEplAsWritten(@ForAll @StringLength(max = 80) String noise) {
        String epl = "select deviceId from Reading(value > 4" + noise + ")";
        RuleShape shape = RuleShape.of(epl);

        assertThat(shape.text(all(shape))).isEqualTo(epl);
        assertThat(shape.parameters(all(shape))).isEmpty();
        assertThat(shape.parameters(Set.of())).hasSize(shape.constants().size());
    }
}
