package kami.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import kami.support.Concurrently;
import kami.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Many payments from one wallet at once queue on its balance: it is never overdrawn and nothing is paid twice. */
class ConcurrentWalletPaymentsNeverOverdrawTest extends WalletTestSupport {

    static final int THREADS = 16;

    @Test
    void sixteenOrdersPaidAtOnceFromAWalletForSixOfThem() throws Exception {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        long productId = productWithKeys(THREADS, 150);
        List<JsonNode> orders = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            orders.add(walletOrder(productId));
        }
        AtomicInteger next = new AtomicInteger();

        List<Http.Response> answers = Concurrently.startTogether(THREADS, () ->
                payFromWallet(token, orders.get(next.getAndIncrement())));

        assertThat(answers.stream().filter(a -> a.status() == 201)).hasSize(6);
        assertThat(answers.stream().filter(a -> a.status() == 409)).allMatch(a ->
                "INSUFFICIENT_BALANCE".equals(a.code())).hasSize(10);
        List<JsonNode> paid = orders.stream().filter(o -> !"PENDING_PAYMENT".equals(orderStatus(
                o.get("orderNo").asString()))).toList();
        assertThat(paid).hasSize(6);
        for (JsonNode order : paid) {
            await("delivery", Duration.ofSeconds(20), () -> "DELIVERED".equals(lookup(order).get("status")
                    .asString()));
            assertThat(keysOf(lookup(order))).hasSize(1);
        }
        assertThat(stock(productId).get("sold").asLong()).isEqualTo(6);
        long wallet = walletAccountId(token);
        long debited = sumOfTransfers("debit_account_id", wallet);
        long credited = sumOfTransfers("credit_account_id", wallet);
        assertThat(debited).isEqualTo(900).isLessThanOrEqualTo(credited);
        assertThat(balance(token)).isEqualTo(100).isNotNegative();
    }

    @Test
    void oneOrderPaidSixteenTimesAtOnceIsDebitedOnce() throws Exception {
        String token = newUser();
        topUpThroughSandbox(token, 1000);
        JsonNode order = walletOrder(productWithKeys(1, 100));

        List<Integer> statuses = Concurrently.startTogether(THREADS, () -> payFromWallet(token, order).status());

        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        assertThat(statuses.stream().filter(s -> s == 200)).hasSize(THREADS - 1);
        assertThat(transfersWithPrefix("wallet-pay:" + order.at("/payment/paymentNo").asString())).isEqualTo(1);
        assertThat(balance(token)).isEqualTo(900);
        await("delivery", Duration.ofSeconds(10), () -> "DELIVERED".equals(lookup(order).get("status").asString()));
    }

    private long sumOfTransfers(String side, long accountId) {
        // The column name is one of two constants of this class, never input.
        return jdbc.sql("select coalesce(sum(amount_minor), 0) from ledger_transfer where " + side + " = :id")
                .param("id", accountId).query(Long.class).single();
    }
}
