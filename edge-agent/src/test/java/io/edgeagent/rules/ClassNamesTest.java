package io.edgeagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClassNamesTest {

    @Test
    void isOrNestedIn_theTypeAndItsNestedTypes_butNotALongerName() {
        assertThat(ClassNames.isOrNestedIn("java/lang/Thread", "java/lang/Thread")).isTrue();
        assertThat(ClassNames.isOrNestedIn("java/lang/Thread$State", "java/lang/Thread")).isTrue();
        assertThat(ClassNames.isOrNestedIn("a.b.C$D$E", "a.b.C")).isTrue();
        assertThat(ClassNames.isOrNestedIn("java/lang/ThreadLocal", "java/lang/Thread")).isFalse();
        assertThat(ClassNames.isOrNestedIn("java/lang/Threa", "java/lang/Thread")).isFalse();
        assertThat(ClassNames.isOrNestedIn("x/java/lang/Thread", "java/lang/Thread")).isFalse();
    }
}
