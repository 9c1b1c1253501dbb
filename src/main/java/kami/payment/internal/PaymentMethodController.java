package kami.payment.internal;

import java.util.List;
import kami.payment.PaymentMethodView;
import kami.payment.Payments;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cashier's list: the ways to pay that work now. */
@RestController
class PaymentMethodController {

    private final Payments payments;

    PaymentMethodController(Payments payments) {
        this.payments = payments;
    }

    @GetMapping("/api/payment-methods")
    List<PaymentMethodView> available() {
        return payments.availableMethods();
    }
}
