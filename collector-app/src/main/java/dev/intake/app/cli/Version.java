package dev.intake.app.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (Implementation-Version), or "development". */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"intake " + (v == null ? "development" : v)};
    }
}
