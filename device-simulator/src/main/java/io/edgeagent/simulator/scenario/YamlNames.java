package io.edgeagent.simulator.scenario;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Maps enum constants to the kebab-case names used in scenario files ({@code OUT_OF_ORDER} <-> {@code out-of-order}). */
final class YamlNames {

    private YamlNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String what) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equalsIgnoreCase(text.trim())) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + text + "': expected one of "
                + Arrays.stream(type.getEnumConstants()).map(YamlNames::of).collect(Collectors.joining(", ")));
    }
}
