package dev.intake.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code intake}: the one command line of the product. */
@Command(name = "intake",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Collects helpdesk mailboxes at Microsoft 365 and Google over IMAP (OAuth 2.0) and turns mail into tickets.",
        subcommands = {RunCommand.class, ConfigCommand.class, AuthorizeCommand.class, PollCommand.class,
                TicketsCommand.class, MailboxesCommand.class, ReconcileCommand.class, KeysCommand.class, AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class IntakeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Intake's conventions: exit code 2 for bad input, messages without stack traces. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new IntakeCommand());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("intake: " + e.getMessage());
            return 1;
        });
        return cl;
    }
}
