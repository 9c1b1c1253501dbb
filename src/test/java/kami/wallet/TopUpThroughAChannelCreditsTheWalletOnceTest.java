package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentSucceeded;
import kami.platform.Money;
import kami.support.Http;
import kami.support.SandboxNotifies;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** A top-up is a payment through a channel; its success credits the wallet once, however often it is told. */
class TopUpThroughAChannelCreditsTheWalletOnceTest extends WalletTestSupport {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Test
    void aSandboxTopUpCreditsTheWalletAndShowsInTheHistory() {
        String token = newUser();

        JsonNode first = topUpThroughSandbox(token, 500);
        JsonNode second = topUpThroughSandbox(token, 250);

        assertThat(first.get("status").asString()).isEqualTo("PENDING");
        assertThat(first.at("/payment/channel").asString()).isEqualTo("sandbox");
        assertThat(balance(token)).isEqualTo(750);
        JsonNode history = get(token, "/api/wallet/history?currency=CNY").json();
        List<JsonNode> entries = history.get("entries").valueStream().toList();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("kind").asString()).isEqualTo("TOP_UP");
        assertThat(entries.get(0).get("amountMinor").asLong()).isEqualTo(250);
        assertThat(entries.get(0).get("balanceAfterMinor").asLong()).isEqualTo(750);
        assertThat(entries.get(0).get("reference").asString()).isEqualTo(second.get("topUpNo").asString());
        assertThat(entries.get(0).get("transferId").asString())
                .isEqualTo("wallet-top-up:" + second.at("/payment/paymentNo").asString());
        assertThat(entries.get(1).get("balanceAfterMinor").asLong()).isEqualTo(500);
        assertThat(history.get("nextBefore").isNull()).isTrue();
        JsonNode page = get(token, "/api/wallet/history?currency=CNY&limit=1").json();
        assertThat(page.get("entries")).hasSize(1);
        JsonNode older = get(token, "/api/wallet/history?currency=CNY&limit=1&before="
                + page.get("nextBefore").asLong()).json();
        assertThat(older.get("entries").get(0).get("amountMinor").asLong()).isEqualTo(500);
        assertThat(ledger.accountByCode("platform.channel.sandbox.CNY").orElseThrow().shardCount()).isEqualTo(16);
    }

    @Test
    void aReplayedNotifyAndARepeatedEventCreditOnce() {
        String token = newUser();
        JsonNode topUp = topUpThroughSandbox(token, 400);
        String paymentNo = topUp.at("/payment/paymentNo").asString();
        String tradeNo = jdbc.sql("select channel_trade_no from sandbox_trade where payment_no = :no")
                .param("no", paymentNo).query(String.class).single();

        Map<String, Object> notify = new java.util.LinkedHashMap<>(SandboxNotifies.successFor(
                notifyBase(topUp), Instant.now()));
        notify.put("channelTradeNo", tradeNo);
        Http.Response replayed = SandboxNotifies.send(http, notify);
        transaction.executeWithoutResult(status -> events.publishEvent(new PaymentSucceeded(paymentNo,
                topUp.get("topUpNo").asString(), Money.of(400, "CNY"), "sandbox", tradeNo, Instant.now(),
                PaymentPurpose.WALLET_TOP_UP)));

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(balance(token)).isEqualTo(400);
        assertThat(transfersWithPrefix("wallet-top-up:" + paymentNo)).isEqualTo(1);
        assertThat(get(token, "/api/wallet/history?currency=CNY").json().get("entries")).hasSize(1);
    }

    @Test
    void theSameKeyIsTheSameTopUpAndCannotBeReusedForAnother() {
        String token = newUser();
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("amountMinor", 300, "currency", "CNY", "channel", "sandbox");

        Http.Response first = requestTopUp(token, body, key);
        Http.Response again = requestTopUp(token, body, key);
        Http.Response other = requestTopUp(token, Map.of("amountMinor", 301, "currency", "CNY", "channel",
                "sandbox"), key);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        // Another user's key space is their own.
        assertThat(requestTopUp(newUser(), body, key).json().get("topUpNo").asString())
                .isNotEqualTo(first.json().get("topUpNo").asString());
    }

    @Test
    void badTopUpsAreRefused() {
        String token = newUser();
        String key = UUID.randomUUID().toString();

        assertThat(requestTopUp(token, Map.of("amountMinor", 100, "currency", "CNY", "channel", "wallet"), key)
                .code()).isEqualTo("TOP_UP_CHANNEL_NOT_ALLOWED");
        assertThat(requestTopUp(token, Map.of("amountMinor", 0, "currency", "CNY", "channel", "sandbox"), key)
                .code()).isEqualTo("INVALID_AMOUNT");
        assertThat(requestTopUp(token, Map.of("amountMinor", 1_000_001, "currency", "CNY", "channel", "sandbox"),
                key).code()).isEqualTo("AMOUNT_ABOVE_MAXIMUM");
        assertThat(requestTopUp(token, Map.of("amountMinor", 100, "currency", "XYZ", "channel", "sandbox"), key)
                .code()).isEqualTo("INVALID_CURRENCY");
        assertThat(requestTopUp(token, Map.of("amountMinor", 100, "currency", "CNY", "channel", "nope"), key)
                .code()).isEqualTo("UNKNOWN_CHANNEL");
        assertThat(post(token, "/api/wallet/top-ups", Map.of("amountMinor", 100, "currency", "CNY", "channel",
                "sandbox")).code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");
        assertThat(get(token, "/api/wallet/top-ups/W-NOPE").code()).isEqualTo("TOP_UP_NOT_FOUND");
        assertThat(balance(token)).isZero();
    }

    /** The fields of a placed order that {@link SandboxNotifies#successFor} reads, taken from a top-up. */
    private static JsonNode notifyBase(JsonNode topUp) {
        return tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(Map.of(
                "payment", Map.of("paymentNo", topUp.at("/payment/paymentNo").asString()),
                "amountMinor", topUp.get("amountMinor").asLong(), "currency", topUp.get("currency").asString()));
    }
}
