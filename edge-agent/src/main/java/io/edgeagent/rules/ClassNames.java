package io.edgeagent.rules;

/** Class names compared without building new strings: the rule compiler's class loading and its checks ask often. */
final class ClassNames {

    private ClassNames() {
    }

    /**
     * Whether {@code name} is {@code type} or a class nested in it ({@code type$Inner}); both binary names
     * ({@code a.b.C}) or both internal ones ({@code a/b/C}).
     */
    static boolean isOrNestedIn(String name, String type) {
        return name.startsWith(type) && (name.length() == type.length() || name.charAt(type.length()) == '$');
    }
}
