package dev.intake.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code admins}: who may sign in to the web UI, each with a bcrypt password hash. */
final class AdminsReader {

    static final List<String> KEYS = List.of("username", "password-hash");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    private static final Pattern USERNAME = Pattern.compile("[^\\s:]{1,64}");
    private static final String MAKE_A_HASH = "make one with: htpasswd -nbBC 12 '' 'the-password' | tr -d ':\\n'";

    private AdminsReader() {
    }

    static List<AdminAccount> read(Section top) {
        List<AdminAccount> admins = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<YamlNode> items = top.list("admins", "one entry per admin, each starting with - username:");
        for (int i = 0; i < items.size(); i++) {
            Section s = Section.of("admins[" + i + "]", items.get(i), top.context(), KEYS, "username, password-hash");
            String username = s.requiredString("username", "give the name the admin signs in with");
            if (!username.isEmpty() && !USERNAME.matcher(username).matches()) {
                s.problems().add(s.path("username"), "'" + username + "' is not a usable user name; use up to 64"
                        + " characters without spaces or ':'", s.line("username"));
            } else if (!username.isEmpty() && !seen.add(username)) {
                s.problems().add(s.path("username"), "'" + username + "' is listed twice; keep one entry per admin",
                        s.line("username"));
            }
            Secret hash = s.requiredSecret("password-hash", "give a bcrypt hash of the password; " + MAKE_A_HASH);
            if (!hash.isEmpty() && !BCRYPT.matcher(hash.reveal()).matches()) {
                // Never the value: it might be the clear password written by mistake.
                s.problems().add(s.path("password-hash"), "is not a bcrypt hash (those start with $2a$, $2b$ or $2y$"
                        + " and are 60 characters long); " + MAKE_A_HASH, s.line("password-hash"));
            }
            admins.add(new AdminAccount(username, hash));
        }
        return admins;
    }
}
