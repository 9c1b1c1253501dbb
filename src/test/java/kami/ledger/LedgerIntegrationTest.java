package kami.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import kami.support.Http;
import kami.support.KamiIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;

/** Ledger tests open their own accounts under unique codes, as the database is shared by all tests. */
public abstract class LedgerIntegrationTest extends KamiIntegrationTest {

    @Autowired
    protected Ledger ledger;

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    protected Account open(AccountType type, String currency, BalanceLimit limit, int shardCount) {
        AccountResult result = ledger.open(new NewAccount(unique(type.name().toLowerCase()), "test", type, currency,
                limit, shardCount));
        assertThat(result).isInstanceOf(AccountResult.Opened.class);
        return ((AccountResult.Opened) result).account();
    }

    /** A wallet: a liability to its owner that may not go negative. */
    protected Account wallet(String currency) {
        return open(AccountType.LIABILITY, currency, BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS, 1);
    }

    /** The platform's clearing account (an asset without a limit), where money from channels arrives. */
    protected Account clearing(String currency) {
        return open(AccountType.ASSET, currency, BalanceLimit.NONE, 1);
    }

    protected Transfer applied(TransferResult result) {
        assertThat(result).isInstanceOf(TransferResult.Applied.class);
        return ((TransferResult.Applied) result).transfer();
    }

    protected TransferRejection rejected(TransferResult result) {
        assertThat(result).isInstanceOf(TransferResult.Rejected.class);
        return ((TransferResult.Rejected) result).reason();
    }

    /** Credits {@code amountMinor} to the wallet from a clearing account. */
    protected void fund(Account wallet, long amountMinor) {
        Account from = clearing(wallet.currency());
        applied(ledger.transfer(TransferRequest.posted(unique("fund"), from.id(), wallet.id(), amountMinor,
                wallet.currency(), "test funding")));
    }

    protected Account reload(Account account) {
        return ledger.account(account.id()).orElseThrow();
    }

    protected Http.Response postTransfer(Map<String, Object> body) {
        return http.post("/api/admin/ledger/transfers", Http.toJson(body), "application/json",
                Map.of("Authorization", "Bearer " + Http.ADMIN_TOKEN));
    }
}
