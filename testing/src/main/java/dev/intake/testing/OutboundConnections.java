package dev.intake.testing;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every URL the JVM's {@link java.net.HttpURLConnection}s (and other users of the default
 * {@link ProxySelector}, such as {@link java.net.http.HttpClient} by default) connect to while it is installed, before
 * any name is looked up. Lets a test prove a library talked to no host but the fakes: msal4j, for one, reaches
 * login.microsoftonline.com for instance discovery unless told not to.
 */
public final class OutboundConnections extends ProxySelector implements AutoCloseable {

    private final ProxySelector previous;
    private final List<URI> connections = new ArrayList<>();

    private OutboundConnections() {
        this.previous = ProxySelector.getDefault();
        ProxySelector.setDefault(this);
    }

    public static OutboundConnections record() {
        return new OutboundConnections();
    }

    @Override
    public synchronized List<Proxy> select(URI uri) {
        connections.add(uri);
        return List.of(Proxy.NO_PROXY);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
    }

    public synchronized List<URI> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() {
        ProxySelector.setDefault(previous);
    }
}
