package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import kami.payment.Payments;
import kami.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * An order placed with the wallet channel is paid from the wallet in one transaction: the debit, the payment and
 * the order's move to PAID commit together, and the order is delivered as usual.
 */
class PayingAnOrderFromTheWalletDebitsItOnceTest extends WalletTestSupport {

    @Autowired
    Payments payments;

    @Test
    void aWalletPaidOrderIsDeliveredAndTheWalletDebitedOnce() {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        JsonNode order = walletOrder(productWithKeys(1, 300));
        String paymentNo = order.at("/payment/paymentNo").asString();
        assertThat(order.at("/payment/channel").asString()).isEqualTo("wallet");
        assertThat(order.at("/payment/method").asString()).isEqualTo("wallet.balance");
        assertThat(order.at("/payment/payUrl").asString()).isEqualTo("/wallet/pay/" + paymentNo);
        Http.Response payPage = http.get("/wallet/pay/" + paymentNo);
        assertThat(payPage.status()).isEqualTo(200);
        assertThat(payPage.body()).contains(order.get("orderNo").asString()).contains("3.00 CNY");

        Http.Response paid = payFromWallet(token, order);
        Http.Response again = post(token, "/api/wallet/payments", Map.of("paymentNo", paymentNo));

        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(paid.json().get("status").asString()).isEqualTo("PAID");
        assertThat(paid.json().get("transferId").asString()).isEqualTo("wallet-pay:" + paymentNo);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.json()).isEqualTo(paid.json());
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(keysOf(lookup(order))).hasSize(1);
        assertThat(balance(token)).isEqualTo(700);
        assertThat(transfersWithPrefix("wallet-pay:" + paymentNo)).isEqualTo(1);
        JsonNode latest = get(token, "/api/wallet/history?currency=CNY").json().get("entries").get(0);
        assertThat(latest.get("kind").asString()).isEqualTo("PAYMENT");
        assertThat(latest.get("amountMinor").asLong()).isEqualTo(-300);
        assertThat(latest.get("balanceAfterMinor").asLong()).isEqualTo(700);
        assertThat(latest.get("reference").asString()).isEqualTo(order.get("orderNo").asString());
        // Another user cannot take over a paid payment.
        assertThat(payFromWallet(newUser(), order).code()).isEqualTo("PAYMENT_ALREADY_SUCCEEDED");
    }

    @Test
    void aWalletThatHoldsTooLittleChangesNothing() {
        String token = newUser();
        topUpThroughSandbox(token, 100);
        JsonNode order = walletOrder(productWithKeys(1, 300));
        String paymentNo = order.at("/payment/paymentNo").asString();

        Http.Response refused = payFromWallet(token, order);
        Http.Response noWalletAtAll = payFromWallet(newUser(), order);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(noWalletAtAll.code()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        assertThat(payments.details(paymentNo).orElseThrow().status()).isEqualTo("PENDING");
        assertThat(ledger.transfer("wallet-pay:" + paymentNo)).isEmpty();
        assertThat(jdbc.sql("select count(*) from wallet_payment where payment_no = :no").param("no", paymentNo)
                .query(Long.class).single()).isZero();
        assertThat(balance(token)).isEqualTo(100);
    }

    @Test
    void anOrderPastItsDeadlineOrClosedCannotBePaid() {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        JsonNode late = walletOrder(productWithKeys(1, 100));
        JsonNode closed = walletOrder(productWithKeys(1, 100));

        clock.advance(Duration.ofMinutes(16));
        Http.Response tooLate = payFromWallet(token, late);
        // The final check before expiry closes an unpaid wallet payment: Kami's record is the channel's answer.
        assertThat(payments.checkBeforeExpiry(closed.get("orderNo").asString()))
                .isEqualTo(Payments.FinalCheck.NOT_PAID);
        clock.reset();
        Http.Response afterClose = payFromWallet(token, closed);

        assertThat(tooLate.status()).isEqualTo(409);
        assertThat(tooLate.code()).isEqualTo("PAYMENT_CLOSED");
        assertThat(afterClose.code()).isEqualTo("PAYMENT_CLOSED");
        assertThat(payments.details(closed.at("/payment/paymentNo").asString()).orElseThrow().status())
                .isEqualTo("CLOSED");
        assertThat(balance(token)).isEqualTo(1000);
    }

    @Test
    void onlyWalletPaymentsArePaidFromTheWalletAndNoNotifyPaysOne() {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        JsonNode sandboxOrder = placeOrder(productWithKeys(1, 100), 1);
        JsonNode order = walletOrder(productWithKeys(1, 100));

        Http.Response notify = http.post("/api/notify/wallet", Http.toJson(Map.of("paymentNo",
                order.at("/payment/paymentNo").asString(), "status", "SUCCESS")), "application/json", Map.of());

        assertThat(payFromWallet(token, sandboxOrder).code()).isEqualTo("NOT_A_WALLET_PAYMENT");
        assertThat(http.get("/wallet/pay/" + sandboxOrder.at("/payment/paymentNo").asString()).status())
                .isEqualTo(404);
        assertThat(post(token, "/api/wallet/payments", Map.of("orderNo", "K-NOPE")).code())
                .isEqualTo("ORDER_NOT_FOUND");
        assertThat(post(token, "/api/wallet/payments", Map.of()).code()).isEqualTo("ORDER_NO_REQUIRED");
        assertThat(notify.status()).isEqualTo(400);
        assertThat(notify.code()).isEqualTo("WALLET_TAKES_NO_NOTIFIES");
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        assertThat(http.get("/api/payment-methods").json().valueStream()
                .map(m -> m.get("channel").asString() + "/" + m.get("method").asString()))
                .contains("wallet/wallet.balance");
        assertThat(http.adminPutJson("/api/admin/channels/wallet", Map.of("type", "epay")).code())
                .isEqualTo("BUILT_IN_CHANNEL");
        assertThat(balance(token)).isEqualTo(1000);
    }
}
