package dev.intake.app.web;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The error pages Jetty writes itself, before a request reaches Intake's routes (a malformed request: 400; a URI or
 * headers too long: 414, 431): the same security headers as every other page, and no server details in them.
 */
final class JettyErrors extends ErrorHandler {

    private final boolean https;

    JettyErrors(boolean https) {
        this.https = https;
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
        setShowOrigin(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SecurityHeaders.all(https).forEach((name, value) -> response.getHeaders().put(name, value));
        return super.handle(request, response, callback);
    }
}
