package dev.intake.app.support.database;

/** The databases Intake runs on, as the store tests make them: an H2 file in a temp directory, a throwaway PostgreSQL database. */
public enum DatabaseKind {
    H2("H2"),
    POSTGRESQL("PostgreSQL");

    private final String displayName;

    DatabaseKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
