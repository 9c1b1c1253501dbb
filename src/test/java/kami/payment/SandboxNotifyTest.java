package kami.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import kami.support.Concurrently;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxNotifyTest extends KamiIntegrationTest {

    @Test
    void aValidNotifyDeliversTheKeys() {
        long productId = productWithKeys(3, 700);
        JsonNode order = placeOrder(productId, 2);

        Http.Response reply = SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        JsonNode delivered = lookup(order);
        assertThat(keysOf(delivered)).hasSize(2).doesNotHaveDuplicates();
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(2);
        assertThat(stock(productId).get("reserved").asLong()).isZero();
    }

    @Test
    void theSameNotifyManyTimesConcurrentlyHasExactlyOneEffect() throws Exception {
        long productId = productWithKeys(4, 700);
        JsonNode order = placeOrder(productId, 1);
        String rawBody = Http.toJson(SandboxNotifies.successFor(order, clock.instant()));
        int copies = 16;
        List<Http.Response> replies = Concurrently.startTogether(copies,
                () -> SandboxNotifies.send(http, rawBody, SandboxNotifies.DEMO_SECRET));
        for (Http.Response reply : replies) {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo("success");
        }

        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        String paymentNo = order.at("/payment/paymentNo").asString();
        assertThat(journalCount(paymentNo, "ACCEPTED")).isEqualTo(1);
        assertThat(journalCount(paymentNo, "DUPLICATE")).isEqualTo(copies - 1);
        assertThat(keysOf(lookup(order))).hasSize(1);
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(1);
        assertThat(stock(productId).get("available").asLong()).isEqualTo(3);
    }

    @Test
    void badSignatureIsRejectedJournaledAndChangesNothing() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        String rawBody = Http.toJson(SandboxNotifies.successFor(order, clock.instant()));

        Http.Response reply = SandboxNotifies.send(http, rawBody, "not-the-secret");

        assertRejectedWithoutEffect(order, reply, 401, "INVALID_SIGNATURE");
    }

    @Test
    void aTamperedBodyFailsItsSignature() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        String rawBody = Http.toJson(SandboxNotifies.successFor(order, clock.instant()));
        String signature = SandboxNotifies.sign(rawBody, SandboxNotifies.DEMO_SECRET);
        String tampered = rawBody.replace("\"amountMinor\":700", "\"amountMinor\":1");

        Http.Response reply = http.post("/api/notify/sandbox", tampered, "application/json",
                Map.of("X-Sandbox-Signature", signature));

        assertRejectedWithoutEffect(order, reply, 401, "INVALID_SIGNATURE");
    }

    @Test
    void aNotifyOlderThanFiveMinutesIsRejected() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        var notify = SandboxNotifies.successFor(order, clock.instant().minus(Duration.ofMinutes(5).plusSeconds(5)));

        assertRejectedWithoutEffect(order, SandboxNotifies.send(http, notify), 400, "STALE_NOTIFY");
    }

    @Test
    void aNotifyForAnUnknownPaymentIsRejected() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        var notify = SandboxNotifies.successFor(order, clock.instant());
        notify.put("paymentNo", "P000000NOSUCHPAY");

        Http.Response reply = SandboxNotifies.send(http, notify);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.code()).isEqualTo("UNKNOWN_PAYMENT");
        assertThat(journalCount("P000000NOSUCHPAY", "REJECTED")).isEqualTo(1);
    }

    @Test
    void aNotifyWithAnotherAmountIsRejected() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        var notify = SandboxNotifies.successFor(order, clock.instant());
        notify.put("amountMinor", 1);

        assertRejectedWithoutEffect(order, SandboxNotifies.send(http, notify), 422, "AMOUNT_MISMATCH");
    }

    @Test
    void aNotifyWithAnotherCurrencyIsRejected() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        var notify = SandboxNotifies.successFor(order, clock.instant());
        notify.put("currency", "USD");

        assertRejectedWithoutEffect(order, SandboxNotifies.send(http, notify), 422, "AMOUNT_MISMATCH");
    }

    @Test
    void aSecondTradeForAPaidPaymentIsRejectedAndTheFirstStands() {
        JsonNode order = placeOrder(productWithKeys(2, 700), 1);
        var first = SandboxNotifies.successFor(order, clock.instant());
        assertThat(SandboxNotifies.send(http, first).body()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));

        Http.Response second = SandboxNotifies.send(http, SandboxNotifies.successFor(order, clock.instant()));

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("PAYMENT_ALREADY_SUCCEEDED");
        String paymentNo = order.at("/payment/paymentNo").asString();
        assertThat(jdbc.sql("select channel_trade_no from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo(first.get("channelTradeNo"));
        assertThat(journalCount(paymentNo, "ACCEPTED")).isEqualTo(1);
        assertThat(journalCount(paymentNo, "REJECTED")).isEqualTo(1);
        assertThat(keysOf(lookup(order))).hasSize(1);
    }

    @Test
    void aRepeatedNotifyWithAnotherAmountAfterTheSuccessIsStillRejectedAsSuch() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        var notify = SandboxNotifies.successFor(order, clock.instant());
        assertThat(SandboxNotifies.send(http, notify).body()).isEqualTo("success");
        notify.put("amountMinor", 1);
        notify.put("nonce", "another-nonce");

        Http.Response reply = SandboxNotifies.send(http, notify);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.code()).isEqualTo("AMOUNT_MISMATCH");
    }

    @Test
    void aTradeNumberOfAnotherPaymentIsRejectedAndChangesNothing() {
        long productId = productWithKeys(2, 700);
        JsonNode paid = placeOrder(productId, 1);
        var paidNotify = SandboxNotifies.successFor(paid, clock.instant());
        assertThat(SandboxNotifies.send(http, paidNotify).body()).isEqualTo("success");
        JsonNode order = placeOrder(productId, 1);
        var notify = SandboxNotifies.successFor(order, clock.instant());
        notify.put("channelTradeNo", paidNotify.get("channelTradeNo"));

        assertRejectedWithoutEffect(order, SandboxNotifies.send(http, notify), 409, "TRADE_NO_REUSED");
    }

    @Test
    void aNotifyWhoseEffectFailsIsJournaledUnjudgedChangesNothingAndIsTakenWhenSentAgain() {
        JsonNode order = placeOrder(productWithKeys(1, 700), 1);
        String orderNo = order.get("orderNo").asString();
        String paymentNo = order.at("/payment/paymentNo").asString();
        // The order's move to PAID, inside the notify's transaction, fails once.
        jdbc.sql("""
                create function fail_paying_%1$s() returns trigger language plpgsql as $$
                begin raise exception 'order %1$s cannot be paid right now'; end $$""".formatted(orderNo))
                .update();
        jdbc.sql("""
                create trigger fail_paying_%1$s before update on customer_order for each row
                when (old.order_no = '%1$s') execute function fail_paying_%1$s()""".formatted(orderNo)).update();
        var notify = SandboxNotifies.successFor(order, clock.instant());
        Http.Response failed;
        try {
            failed = SandboxNotifies.send(http, notify);
        } finally {
            jdbc.sql("drop trigger fail_paying_%1$s on customer_order".formatted(orderNo)).update();
            jdbc.sql("drop function fail_paying_%s".formatted(orderNo)).update();
        }

        assertThat(failed.status()).isGreaterThanOrEqualTo(500);
        assertThat(failed.body()).doesNotContain("success");
        assertThat(jdbc.sql("select status from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo("PENDING");
        assertThat(orderStatus(orderNo)).isEqualTo("PENDING_PAYMENT");
        assertThat(jdbc.sql("""
                select reason from notify_journal
                where verdict = 'RECEIVED' and raw_body like '%' || :no || '%'""").param("no", paymentNo)
                .query(String.class).list()).singleElement().asString().startsWith("not judged: ")
                .contains("cannot be paid right now");

        assertThat(SandboxNotifies.send(http, notify).body()).isEqualTo("success");
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
        assertThat(journalCount(paymentNo, "ACCEPTED")).isEqualTo(1);
    }

    private void assertRejectedWithoutEffect(JsonNode order, Http.Response reply, int status, String code) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.code()).isEqualTo(code);
        String paymentNo = order.at("/payment/paymentNo").asString();
        assertThat(jdbc.sql("select status from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo("PENDING");
        assertThat(orderStatus(order.get("orderNo").asString())).isEqualTo("PENDING_PAYMENT");
        assertThat(jdbc.sql("select reason from notify_journal where payment_no = :no and verdict = 'REJECTED'")
                .param("no", paymentNo).query(String.class).list()).singleElement().asString().startsWith(code);
    }

    private long journalCount(String paymentNo, String verdict) {
        return jdbc.sql("select count(*) from notify_journal where payment_no = :no and verdict = :verdict")
                .param("no", paymentNo).param("verdict", verdict).query(Long.class).single();
    }
}
