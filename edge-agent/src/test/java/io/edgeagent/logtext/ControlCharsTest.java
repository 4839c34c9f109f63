package io.edgeagent.logtext;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class ControlCharsTest {

    @Example
    void escape_newlineCarriageReturnTabAndTerminalEscape_becomeVisibleEscapes() {
        assertThat(ControlChars.escape("a\nb\rc\td\u001b[2Je\u0000f\u007f\u0085"))
                .isEqualTo("a\\nb\\rc\\td\\u001B[2Je\\u0000f\\u007F\\u0085");
    }

    @Example
    void escape_bidiOverridesLineSeparatorsAndLoneSurrogates_areEscaped_pairsAndOtherTextKept() {
        assertThat(ControlChars.escape("\u202eevil\u2066\u2028x\ud800y\udc00\ud83d\ude00 K\u00f6ln \u6771\u4eac"))
                .isEqualTo("\\u202Eevil\\u2066\\u2028x\\uD800y\\uDC00\ud83d\ude00 K\u00f6ln \u6771\u4eac");
    }

    @Example
    void escape_textWithNothingToEscape_isReturnedWithoutACopy() {
        String text = "sensors/cold-room-1/temperature \u00b0C \ud83d\ude00";
        assertThat(ControlChars.escape(text)).isSameAs(text);
        assertThat(ControlChars.escape(null)).isNull();
    }

    @Property(tries = 1000)
    void escape_anyText_isOneLineWithoutControlsAndEscapingAgainChangesNothing(@ForAll String text) {
        String escaped = ControlChars.escape(text);

        assertThat(escaped.chars().noneMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || (c >= 0x202A && c <= 0x202E))).as(escaped).isTrue();
        assertThat(ControlChars.escape(escaped)).isEqualTo(escaped);
    }
}
