package dev.intake.app.schedule;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this node is, in the run log and in Quartz's cluster: the host name and the start time, as Quartz's own
 * {@code AUTO} instance ids are, so that a restarted node is a new instance and its predecessor's runs are recovered.
 * Known before the scheduler exists, so that collection can record it without asking the scheduler.
 */
public record NodeIdentity(String id) {

    /** A one-shot command (`intake poll`) runs outside the scheduler. */
    public static final NodeIdentity COMMAND = new NodeIdentity("cli");

    public static NodeIdentity ofThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return new NodeIdentity(host + System.currentTimeMillis());
    }
}
