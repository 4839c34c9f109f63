package io.edgeagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${ENV:NAME}} (an environment variable) and {@code ${FILE:/path}} (a file's contents, trimmed) inside
 * configuration strings, so secrets stay out of the YAML. An unset variable or unreadable file is an error, never an
 * empty string: a silently empty password is worse than a refusal to start.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(ENV|FILE):([^}]*)}");

    private final UnaryOperator<String> environment;

    public Placeholders(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public static Placeholders fromSystem() {
        return new Placeholders(System::getenv);
    }

    /** @throws IllegalArgumentException naming the variable or file that could not be read */
    public String resolve(String text) {
        if (text.indexOf("${") < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2).trim();
            String value = m.group(1).equals("ENV") ? env(name) : file(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String env(String name) {
        String value = environment.apply(name);
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static String file(String name) {
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + name + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
