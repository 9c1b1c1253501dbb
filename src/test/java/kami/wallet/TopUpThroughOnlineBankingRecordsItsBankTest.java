package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import org.junit.jupiter.api.Test;

/** A wallet is topped up through online banking like through any method; its payment records the bank. */
class TopUpThroughOnlineBankingRecordsItsBankTest extends WalletTestSupport {

    @Test
    void aTopUpThroughABankRecordsTheBankAndCreditsTheWallet() {
        String token = newUser();

        Http.Response created = requestTopUp(token, Map.of("amountMinor", 300, "currency", "CNY", "channel",
                "sandbox", "method", "sandbox.bank", "bank", "ICBC"), UUID.randomUUID().toString());

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/payment/bank").asString()).isEqualTo("ICBC");
        String paymentNo = created.json().at("/payment/paymentNo").asString();
        assertThat(jdbc.sql("select bank from payment where payment_no = :no").param("no", paymentNo)
                .query(String.class).single()).isEqualTo("ICBC");
        payInSandbox(paymentNo);
        String topUpNo = created.json().get("topUpNo").asString();
        await("top-up credited", Duration.ofSeconds(10), () -> "CREDITED".equals(
                get(token, "/api/wallet/top-ups/" + topUpNo).json().get("status").asString()));
        assertThat(balance(token)).isEqualTo(300);
    }

    @Test
    void aTopUpRefusesABankThatDoesNotFitAndTheSameKeyWithAnotherBank() {
        String token = newUser();
        String key = UUID.randomUUID().toString();

        Http.Response missing = requestTopUp(token, Map.of("amountMinor", 300, "currency", "CNY", "channel",
                "sandbox", "method", "sandbox.bank"), UUID.randomUUID().toString());
        Http.Response first = requestTopUp(token, Map.of("amountMinor", 300, "currency", "CNY", "channel",
                "sandbox", "method", "sandbox.bank", "bank", "CMB"), key);
        Http.Response otherBank = requestTopUp(token, Map.of("amountMinor", 300, "currency", "CNY", "channel",
                "sandbox", "method", "sandbox.bank", "bank", "ICBC"), key);

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.code()).isEqualTo("BANK_REQUIRED");
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(otherBank.status()).isEqualTo(422);
        assertThat(otherBank.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    }
}
