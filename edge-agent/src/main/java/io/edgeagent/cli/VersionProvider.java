package io.edgeagent.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Implementation-Version), so it cannot drift from the build. */
final class VersionProvider implements IVersionProvider {

    static String version() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"edge-agent " + version(), "Java " + Runtime.version() + " on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }
}
