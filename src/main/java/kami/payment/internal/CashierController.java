package kami.payment.internal;

import java.time.Clock;
import kami.payment.channel.ChannelException;
import kami.platform.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Sends the payer to the channel. For channels reached over the network the payment is created there only now,
 * outside any transaction: a slow or failing channel delays this one page, never the order or other channels.
 */
@Controller
class CashierController {

    private static final Logger log = LoggerFactory.getLogger(CashierController.class);

    private final JdbcPayments payments;
    private final ChannelRegistry channels;
    private final ChannelGuard guard;
    private final JdbcClient jdbc;
    private final Clock clock;

    CashierController(JdbcPayments payments, ChannelRegistry channels, ChannelGuard guard, JdbcClient jdbc,
            Clock clock) {
        this.payments = payments;
        this.channels = channels;
        this.guard = guard;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    static String payPath(String paymentNo) {
        return "/pay/" + paymentNo;
    }

    @GetMapping("/pay/{paymentNo}")
    String pay(@PathVariable String paymentNo) {
        PaymentRecord payment = payments.find(paymentNo).orElseThrow(() -> ApiException.notFound(
                "PAYMENT_NOT_FOUND", "No payment " + paymentNo));
        if (payment.status() == PaymentStatus.SUCCEEDED) {
            return "redirect:" + payment.toChannel().returnUrl();
        }
        if (payment.status() == PaymentStatus.CLOSED || !clock.instant().isBefore(payment.expiresAt())) {
            throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_CLOSED", "Payment " + paymentNo
                    + " can no longer be paid");
        }
        if (payment.payUrl() != null) {
            return "redirect:" + payment.payUrl();
        }
        ChannelEndpoint endpoint = channels.find(payment.channel()).filter(ChannelEndpoint::enabled)
                .filter(found -> guard.health(PaymentPath.of(payment)).usable())
                .orElseThrow(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "CHANNEL_UNAVAILABLE",
                        "Payment path " + PaymentPath.of(payment).name()
                                + " is unavailable now; choose another way to pay"));
        String payUrl;
        try {
            payUrl = guard.create(endpoint, payment).payUrl();
        } catch (ChannelException e) {
            log.warn("Channel {} did not create payment {}: {}", payment.channel(), paymentNo, e.getMessage());
            throw new ApiException(HttpStatus.BAD_GATEWAY, "CHANNEL_UNAVAILABLE", "Payment channel "
                    + payment.channel() + " did not answer; try again in a moment or choose another way to pay");
        }
        // Two payers opening the page at once both reach the channel; the first address stored is the one used.
        // The commit does not wait for the disk: the address only saves asking the channel again, and a crash
        // that loses it leaves the payment as if the crash had come before the channel answered (the next visit
        // asks again for the same payment number). See NoWaitCommit.
        NoWaitCommit.requireOwnTransaction("a payment address is stored");
        String stored = jdbc.sql("""
                update payment set pay_url = coalesce(pay_url, :url)
                where payment_no = :no and set_config('synchronous_commit', 'off', true) = 'off'
                returning pay_url""")
                .param("url", payUrl).param("no", paymentNo).query(String.class).optional().orElse(payUrl);
        return "redirect:" + stored;
    }
}
