package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import kami.support.Http;
import org.junit.jupiter.api.Test;

/** A transfer id is applied at most once; transfers never cross currencies. */
class LedgerIdempotencyAndCurrencyTest extends LedgerIntegrationTest {

    @Test
    void aRetryWithTheSameIdAndFieldsAnswersWithTheFirstTransferAndMovesMoneyOnce() {
        Account clearing = clearing("CNY");
        Account wallet = wallet("CNY");
        Map<String, Object> body = body(unique("t"), clearing, wallet, 500, "CNY");

        Http.Response first = postTransfer(body);
        Http.Response retry = postTransfer(body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.raw().headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(retry.json().get("createdAt")).isEqualTo(first.json().get("createdAt"));
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(500);
    }

    @Test
    void theSameIdWithOtherFieldsIsRefusedAsExistsWithDifferentFields() {
        Account clearing = clearing("CNY");
        Account wallet = wallet("CNY");
        String transferId = unique("t");
        assertThat(postTransfer(body(transferId, clearing, wallet, 500, "CNY")).status()).isEqualTo(201);

        Http.Response other = postTransfer(body(transferId, clearing, wallet, 501, "CNY"));

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.code()).isEqualTo("EXISTS_WITH_DIFFERENT_FIELDS");
        assertThat(reload(wallet).creditBalanceMinor()).isEqualTo(500);
    }

    @Test
    void aTransferBetweenAccountsOfDifferentCurrenciesIsRefused() {
        Account yuan = clearing("CNY");
        Account dollars = wallet("USD");

        Http.Response crossing = postTransfer(body(unique("t"), yuan, dollars, 100, "CNY"));
        Http.Response wrongCurrency = postTransfer(body(unique("t"), yuan, wallet("CNY"), 100, "USD"));

        assertThat(crossing.status()).isEqualTo(422);
        assertThat(crossing.code()).isEqualTo("CURRENCY_MISMATCH");
        assertThat(wrongCurrency.code()).isEqualTo("CURRENCY_MISMATCH");
        assertThat(reload(dollars).creditsPostedMinor()).isZero();
    }

    @Test
    void aRejectedTransferLeavesNoTraceSoItsIdCanBeUsedLater() {
        Account clearing = clearing("CNY");
        Account wallet = wallet("CNY");
        Account shop = clearing("CNY");
        String transferId = unique("t");

        Http.Response overdrawn = postTransfer(body(transferId, wallet, shop, 100, "CNY"));
        fund(wallet, 100);
        Http.Response later = postTransfer(body(transferId, wallet, shop, 100, "CNY"));

        assertThat(overdrawn.code()).isEqualTo("EXCEEDS_CREDITS");
        assertThat(later.status()).isEqualTo(201);
        assertThat(clearing.id()).isNotEqualTo(shop.id());
    }

    @Test
    void validationReportsTheFirstRuleBrokenAndUnknownAccountsAreNotFound() {
        Account wallet = wallet("CNY");

        assertThat(postTransfer(body(unique("t"), wallet, wallet, 0, "CNY")).code())
                .isEqualTo("ACCOUNTS_MUST_DIFFER");
        Http.Response unknown = postTransfer(body(unique("t"), wallet, Long.MAX_VALUE, 1, "CNY"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("CREDIT_ACCOUNT_NOT_FOUND");
    }

    private static Map<String, Object> body(String transferId, Account debit, Account credit, long amountMinor,
            String currency) {
        return body(transferId, debit, credit.id(), amountMinor, currency);
    }

    private static Map<String, Object> body(String transferId, Account debit, long creditId, long amountMinor,
            String currency) {
        Map<String, Object> body = new HashMap<>();
        body.put("transferId", transferId);
        body.put("debitAccountId", debit.id());
        body.put("creditAccountId", creditId);
        body.put("amountMinor", amountMinor);
        body.put("currency", currency);
        body.put("reference", "order-1");
        return body;
    }
}
