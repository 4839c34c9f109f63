package io.edgeagent.simulator.cli;

import picocli.CommandLine;

/** The version the jar's manifest records (Implementation-Version), so it cannot drift from the build. */
final class ManifestVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ManifestVersion.class.getPackage().getImplementationVersion();
        return new String[] {"device-simulator " + (version == null ? "(development build, no jar manifest)" : version)};
    }
}
