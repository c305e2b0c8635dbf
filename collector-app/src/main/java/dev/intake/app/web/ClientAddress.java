package dev.intake.app.web;

import dev.intake.app.apiclient.IpRanges;
import io.javalin.http.Context;
import java.util.List;

/**
 * The address a request comes from, for IP restrictions, throttling and the log. {@code X-Forwarded-For} is anyone's
 * to write, so it counts only when the connection comes from a proxy listed in {@code api.trusted-proxies}: then the
 * header is read from the right (the entry the nearest proxy added) past every trusted proxy, and the first address
 * that is not one is the client. With no trusted proxies the header is ignored.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(Context ctx, List<String> trustedProxies) {
        String peer = ctx.req().getRemoteAddr();
        if (trustedProxies.isEmpty()) {
            return peer;
        }
        IpRanges trusted = IpRanges.parse(String.join(" ", trustedProxies));
        if (!trusted.allows(peer)) {
            return peer;
        }
        String client = peer;
        List<String> header = ctx.req().getHeaders("X-Forwarded-For") == null ? List.of()
                : java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
        String[] hops = String.join(",", header).split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            client = hop;
            if (!trusted.allows(hop)) {
                break;
            }
        }
        return client;
    }
}
