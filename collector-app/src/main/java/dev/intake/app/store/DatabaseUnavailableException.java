package dev.intake.app.store;

/** The database cannot be opened; the message says why and what to do. */
public final class DatabaseUnavailableException extends RuntimeException {

    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    static DatabaseUnavailableException explain(String url, Throwable e) {
        String safeUrl = url.replaceAll("(?i)(password=)[^;&]*", "$1******");
        String detail = rootMessage(e);
        if (anyMessageContains(e, "Database may be already in use") || anyMessageContains(e, "The file is locked")) {
            return new DatabaseUnavailableException("The embedded H2 database " + safeUrl + " is already open in another "
                    + "Intake process. H2 serves one process only: stop the other node, or run several nodes on PostgreSQL "
                    + "(see 'Running several nodes' in the README).", e);
        }
        return new DatabaseUnavailableException("Cannot open the database " + safeUrl + ": " + detail
                + ". Check database.url, user and password, and that the server is running.", e);
    }

    private static boolean anyMessageContains(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("(?i)(password=)[^;&\\s]*", "$1******");
    }
}
