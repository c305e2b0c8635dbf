package dev.intake.bench;

/**
 * Ends a child process of the benchmark when the benchmark's own process is gone, so that no server or node
 * outlives a benchmark that was killed.
 */
public final class ParentWatch {

    /** The exit code of a child that ended because the benchmark was gone. */
    public static final int EXIT_CODE = 70;

    private ParentWatch() {
    }

    /** Halts this JVM once the process {@code parentPid} has exited. */
    @SuppressWarnings("FutureReturnValueIgnored") // the action halts the JVM: its future never has anything to tell
    public static void start(long parentPid) {
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(EXIT_CODE)),
                () -> Runtime.getRuntime().halt(EXIT_CODE));
    }
}
