package kami.payment.internal;

import java.util.List;
import kami.payment.RefundRequest;
import kami.payment.RefundView;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Refunds for operators: full or partial, idempotent by the request number the operator's system chooses. */
@RestController
class AdminRefundController {

    private final Refunds refunds;

    AdminRefundController(Refunds refunds) {
        this.refunds = refunds;
    }

    record RefundBody(@Nullable String requestNo, @Nullable Long amountMinor, @Nullable String reason) {
    }

    @PostMapping("/api/admin/orders/{orderNo}/refunds")
    ResponseEntity<RefundView> refund(@PathVariable String orderNo, @RequestBody RefundBody body) {
        RefundView refund = refunds.request(new RefundRequest(orderNo, body.requestNo(), body.amountMinor(),
                body.reason()));
        return ResponseEntity.status(refund.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(refund.replayed())).body(refund);
    }

    @GetMapping("/api/admin/orders/{orderNo}/refunds")
    List<RefundView> ofOrder(@PathVariable String orderNo) {
        return refunds.ofOrder(orderNo);
    }

    @GetMapping("/api/admin/refunds/{refundNo}")
    RefundView get(@PathVariable String refundNo) {
        return refunds.find(refundNo).map(r -> r.view(false)).orElseThrow(() -> ApiException.notFound(
                "REFUND_NOT_FOUND", "No refund " + refundNo));
    }
}
