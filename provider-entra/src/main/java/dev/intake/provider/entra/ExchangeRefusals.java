package dev.intake.provider.entra;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What Exchange Online's IMAP answers mean when the token was accepted but the mailbox was not opened. With app-only
 * access the usual cause is outside Entra: Exchange keeps its own record of the app (a service principal) and of the
 * mailboxes it may open, and answers both gaps with the same "User is authenticated but not connected". Intake cannot
 * tell the two apart from IMAP, so it names the command that shows which one is missing and the one that adds it.
 */
final class ExchangeRefusals {

    private ExchangeRefusals() {
    }

    static Optional<String> explain(String serverAnswer, String mailbox, boolean appOnly, String clientId) {
        String answer = serverAnswer == null ? "" : serverAnswer.toLowerCase(Locale.ROOT);
        if (answer.contains(EntraIdentityProvider.NOT_CONNECTED.toLowerCase(Locale.ROOT))) {
            return Optional.of(appOnly ? appOnlyNotConnected(mailbox, clientId) : delegatedNotConnected(mailbox));
        }
        if (appOnly && answer.contains("authenticate failed")) {
            return Optional.of("Exchange Online refused the app-only token for " + mailbox + ". The app registration"
                    + " needs the application permission IMAP.AccessAsApp (API permissions, Add a permission, APIs my"
                    + " organization uses, Office 365 Exchange Online, Application permissions) with admin consent"
                    + " granted; then register the service principal in Exchange Online (New-ServicePrincipal) and give"
                    + " it FullAccess to the mailbox (Add-MailboxPermission), as the README describes.");
        }
        return Optional.empty();
    }

    /** The steps outside Intake, as the README gives them, with this app's client id and the mailbox filled in. */
    static List<String> setup(String mailbox, String clientId) {
        return List.of(
                "In the app registration " + clientId + ": API permissions, Add a permission, APIs my organization uses,"
                        + " Office 365 Exchange Online, Application permissions, IMAP.AccessAsApp; then Grant admin consent.",
                "In Exchange Online PowerShell (Connect-ExchangeOnline), register the app's service principal once:"
                        + " New-ServicePrincipal -AppId " + clientId + " -ObjectId <ObjectId> (the Object ID of the app"
                        + " under Entra's Enterprise applications).",
                "Give it this mailbox: Add-MailboxPermission -Identity " + mailbox + " -User <ObjectId> -AccessRights"
                        + " FullAccess. Exchange can take up to an hour to apply it; then use Test connection.");
    }

    private static String appOnlyNotConnected(String mailbox, String clientId) {
        return "Exchange Online accepted Intake's app-only token but will not open " + mailbox + " (\""
                + EntraIdentityProvider.NOT_CONNECTED + "\"): a step in Exchange Online is missing. In Exchange Online"
                + " PowerShell (Connect-ExchangeOnline), check the service principal: Get-ServicePrincipal | Where-Object"
                + " AppId -eq '" + clientId + "'. If it lists nothing, register it with New-ServicePrincipal -AppId "
                + clientId + " -ObjectId <ObjectId> (the Object ID shown for the app under Entra's Enterprise"
                + " applications, not the app registration's). Then check the mailbox permission: Get-MailboxPermission"
                + " -Identity " + mailbox + " -User <ObjectId>. If it lists no FullAccess, add it with"
                + " Add-MailboxPermission -Identity " + mailbox + " -User <ObjectId> -AccessRights FullAccess."
                + " Exchange can take up to an hour to apply either change; then use Test connection.";
    }

    private static String delegatedNotConnected(String mailbox) {
        return "Exchange Online accepted the token but will not open " + mailbox + " (\""
                + EntraIdentityProvider.NOT_CONNECTED + "\"): the account that authorized Intake has no access to this"
                + " mailbox, or the mailbox has no Exchange Online licence. For a shared mailbox, give the delegate"
                + " FullAccess (Add-MailboxPermission -Identity " + mailbox + " -User <delegate> -AccessRights FullAccess)"
                + " and set delegate on the mailbox; otherwise authorize the mailbox as its own user.";
    }
}
