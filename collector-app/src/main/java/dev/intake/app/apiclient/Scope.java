package dev.intake.app.apiclient;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** What a client may do with the API. */
public enum Scope {
    TICKETS_READ("tickets:read", "read tickets, followups, attachments and events"),
    TICKETS_WRITE("tickets:write", "set a ticket's status, add internal notes, mark tickets exported"),
    MAILBOXES_READ("mailboxes:read", "read mailboxes and their health"),
    MAILBOXES_WRITE("mailboxes:write", "poll, pause and resume mailboxes"),
    STATUS("status", "read Intake's configuration status");

    private final String wireName;
    private final String description;

    Scope(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<Scope> of(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }

    /**
     * The scopes of a space-separated list.
     *
     * @throws IllegalArgumentException naming the unknown scope and the known ones
     */
    public static Set<Scope> parseList(String list) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : list.strip().split("[\\s,]+")) {
            if (name.isEmpty()) {
                continue;
            }
            scopes.add(of(name).orElseThrow(() -> new IllegalArgumentException("unknown scope '" + name
                    + "'; the scopes are " + names(EnumSet.allOf(Scope.class)))));
        }
        return scopes;
    }

    public static String names(Set<Scope> scopes) {
        return scopes.stream().sorted().map(Scope::wireName).collect(Collectors.joining(" "));
    }
}
