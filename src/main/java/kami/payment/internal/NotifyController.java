package kami.payment.internal;

import kami.payment.internal.NotifyOutcome.Acknowledged;
import kami.payment.internal.NotifyOutcome.Rejected;
import kami.platform.ApiException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Channel callbacks. The reply {@code success} goes out only after the payment is committed. */
@RestController
class NotifyController {

    private final SandboxNotifyHandler sandbox;

    NotifyController(SandboxNotifyHandler sandbox) {
        this.sandbox = sandbox;
    }

    @PostMapping(SandboxPaths.NOTIFY)
    ResponseEntity<String> sandbox(@RequestBody(required = false) String rawBody,
            @RequestHeader(name = "X-Sandbox-Signature", required = false) String signature) {
        NotifyOutcome outcome = sandbox.handle(rawBody == null ? "" : rawBody, signature);
        return switch (outcome) {
            case Acknowledged acknowledged -> ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("success");
            case Rejected rejected -> throw new ApiException(rejected.status(), rejected.code(), rejected.reason());
        };
    }
}
