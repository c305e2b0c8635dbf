package dev.intake.config;

import java.util.regex.Pattern;

/** Shows a JDBC URL without a password it may carry ({@code ?password=}, {@code ;PASSWORD=}, {@code user:pw@}). */
final class JdbcUrls {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password\\s*=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:]*:)[^/@]*@");

    private JdbcUrls() {
    }

    static String withoutPassword(String url) {
        String out = PASSWORD_PARAMETER.matcher(url).replaceAll("$1******");
        return USER_INFO.matcher(out).replaceAll("$1******@");
    }
}
