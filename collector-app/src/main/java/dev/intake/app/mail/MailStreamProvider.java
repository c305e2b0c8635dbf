package dev.intake.app.mail;

/**
 * Names Jakarta Mail's stream provider once for the process, so that parsing does not look it up over and over.
 *
 * <p>Jakarta Mail 2.1 asks {@code StreamProvider.provider()} for every {@code InternetHeaders}, {@code Multipart},
 * {@code BodyPart} and {@code MimeUtility.decode}, and without a name that is a {@code ServiceLoader} scan of every
 * jar's {@code META-INF/services} (jakartaee/mail-api#699 and #861, open for 2.1.x). With the provider named in the
 * system property that {@code FactoryFinder} reads first, a lookup is a {@code Class.forName} answered from the class
 * loader's cache. Angus Mail's provider is the one the scan finds anyway; an operator's own setting is kept.
 */
final class MailStreamProvider {

    static final String PROPERTY = "jakarta.mail.util.StreamProvider";
    static final String ANGUS = "org.eclipse.angus.mail.util.MailStreamProvider";

    private MailStreamProvider() {
    }

    static void nameAngusUnlessSet() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, ANGUS);
        }
    }
}
