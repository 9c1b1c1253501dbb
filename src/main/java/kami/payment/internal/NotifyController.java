package kami.payment.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import kami.payment.channel.InboundNotify;
import kami.payment.channel.NotifyReply;
import kami.payment.internal.NotifyOutcome.Acknowledged;
import kami.payment.internal.NotifyOutcome.Rejected;
import kami.platform.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * Channel callbacks, one URL per channel account: {@code /api/notify/{account}}. The reply the channel expects
 * goes out only after the notify's effect is committed. Some providers notify with GET and a query string; that
 * query string is then the notify's body.
 */
@RestController
class NotifyController {

    private final NotifyPipeline pipeline;
    private final ChannelRegistry channels;
    private final Clock clock;

    NotifyController(NotifyPipeline pipeline, ChannelRegistry channels, Clock clock) {
        this.pipeline = pipeline;
        this.channels = channels;
        this.clock = clock;
    }

    @RequestMapping(path = ChannelRegistry.NOTIFY_PATH + "{account}",
            method = {RequestMethod.POST, RequestMethod.GET})
    ResponseEntity<String> notify(@PathVariable String account, HttpServletRequest request) throws IOException {
        String body = "GET".equals(request.getMethod())
                ? (request.getQueryString() == null ? "" : request.getQueryString())
                : new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        InboundNotify notify = new InboundNotify(headers(request), body, clock.instant());
        NotifyOutcome outcome = pipeline.handle(account, notify);
        if (SandboxChannel.NAME.equals(account) || WalletChannel.NAME.equals(account)) {
            // The sandbox's own contract: "success", or a problem response with a stable code. The wallet channel
            // refuses every notify and says so in the same way.
            return switch (outcome) {
                case Acknowledged acknowledged -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN)
                        .body("success");
                case Rejected rejected -> throw new ApiException(rejected.status(), rejected.code(),
                        rejected.reason());
            };
        }
        ChannelEndpoint endpoint = channels.find(account).orElse(null);
        if (endpoint == null) {
            Rejected rejected = (Rejected) outcome;
            throw new ApiException(rejected.status(), rejected.code(), rejected.reason());
        }
        NotifyReply reply = switch (outcome) {
            case Acknowledged acknowledged -> endpoint.channel().acknowledge();
            case Rejected rejected -> endpoint.channel().refuse(rejected.code() + ": " + rejected.reason());
        };
        return ResponseEntity.status(reply.status()).contentType(MediaType.parseMediaType(reply.contentType()))
                .body(reply.body());
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : Collections.list(request.getHeaderNames())) {
            headers.put(name, request.getHeader(name));
        }
        return headers;
    }
}
