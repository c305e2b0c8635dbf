package dev.intake.app.cli;

import dev.intake.app.Intake;
import dev.intake.app.web.LocalCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code intake}: the one command line of the product. */
@Command(name = "intake",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Collects helpdesk mailboxes at Microsoft 365 and Google over IMAP (OAuth 2.0) and turns mail into tickets.",
        subcommands = {RunCommand.class, ConfigCommand.class, AuthorizeCommand.class, PollCommand.class, TestCommand.class,
                TicketsCommand.class, MailboxesCommand.class, ReconcileCommand.class, KeysCommand.class, AdminCommand.class,
                ClientsCommand.class,
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
        return withConventions(new CommandLine(new IntakeCommand()));
    }

    /**
     * Runs a command inside a running node, for a command beside it on the same H2 file (see
     * {@link NodeCommandChannel}): the commands that work on the database use the node's services instead of opening
     * it; the others need no node and are refused here.
     */
    public static LocalCommands.Result runInNode(Intake node, List<String> args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof DatabaseCommand command) {
                    command.node = node;
                }
                return made;
            }
        };
        CommandLine cl = withConventions(new CommandLine(new IntakeCommand(), factory));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        try {
            List<CommandLine> path = cl.parseArgs(args.toArray(String[]::new)).asCommandLineList();
            Object command = path.get(path.size() - 1).getCommand();
            if (command instanceof AuthorizeCommand authorize) {
                // It would wait minutes for a sign-in inside one request; the node's own page does the same at once.
                return new LocalCommands.Result(2, "", "intake: a node is running on this database: open "
                        + node.currentConfig().server().publicUrl() + "/mailboxes/" + authorize.mailboxId
                        + " and choose Authorize there\n");
            }
            if (!(command instanceof DatabaseCommand)) {
                return new LocalCommands.Result(2, "", "intake: this command does not need the running node; "
                        + "it was not run there\n");
            }
        } catch (CommandLine.ParameterException e) {
            return new LocalCommands.Result(2, "", "intake: " + e.getMessage() + "\n");
        }
        int code = cl.execute(args.toArray(String[]::new));
        return new LocalCommands.Result(code, out.toString(), err.toString());
    }

    private static CommandLine withConventions(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("intake: " + e.getMessage());
            return 1;
        });
        return cl;
    }
}
