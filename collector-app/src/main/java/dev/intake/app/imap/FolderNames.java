package dev.intake.app.imap;

import java.util.ArrayList;
import java.util.List;

/**
 * Folder names as operators write them ({@code Intake/Accepted}) versus as the server spells them: servers choose
 * their own hierarchy separator ({@code /} at Gmail and Exchange, {@code .} at many others).
 */
final class FolderNames {

    /** How configuration separates levels, whatever the server uses. */
    static final char CONFIGURED_SEPARATOR = '/';

    private FolderNames() {
    }

    /** The server's name for a configured one. A server without hierarchy (separator NUL) gets the name as is. */
    static String toServer(String configured, char serverSeparator) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("folder name is empty: set it, e.g. INBOX or Intake/Accepted");
        }
        if (serverSeparator == '\0' || serverSeparator == CONFIGURED_SEPARATOR) {
            return configured;
        }
        return configured.replace(CONFIGURED_SEPARATOR, serverSeparator);
    }

    /** The server names of the folders above {@code serverName}, outermost first. */
    static List<String> parents(String serverName, char serverSeparator) {
        List<String> parents = new ArrayList<>();
        if (serverSeparator == '\0') {
            return parents;
        }
        for (int i = serverName.indexOf(serverSeparator); i > 0; i = serverName.indexOf(serverSeparator, i + 1)) {
            parents.add(serverName.substring(0, i));
        }
        return parents;
    }
}
