package kami.ledger.internal.domain;

import static org.assertj.core.api.Assertions.assertThat;

import kami.ledger.AccountRejection;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.NewAccount;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Opening accounts: hot (sharded) accounts carry no limit, and shard counts are bounded. */
class LedgerAccountRulesProperties {

    @Property
    void onlyUnshardedAccountsMayLimitTheirBalance(@ForAll @IntRange(min = 1, max = 64) int shards,
            @ForAll BalanceLimit limit) {
        AccountRejection rejection = AccountRules.validate(new NewAccount("wallet", "merchant-1",
                AccountType.LIABILITY, "CNY", limit, shards));
        boolean refused = shards > 1 && limit != BalanceLimit.NONE;
        assertThat(rejection).isEqualTo(refused ? AccountRejection.SHARDED_ACCOUNT_CANNOT_LIMIT_BALANCE : null);
    }

    @Property
    void shardCountOutsideOneToSixtyFourIsRefused(@ForAll int shards) {
        AccountRejection rejection = AccountRules.validate(new NewAccount("clearing", "platform",
                AccountType.ASSET, "CNY", BalanceLimit.NONE, shards));
        assertThat(rejection == AccountRejection.SHARD_COUNT_OUT_OF_RANGE).isEqualTo(shards < 1 || shards > 64);
    }

    @Property
    void codesWithTheShardSeparatorAreRefused(@ForAll("codes") String code) {
        AccountRejection rejection = AccountRules.validate(NewAccount.of(code, "owner", AccountType.ASSET, "CNY",
                BalanceLimit.NONE));
        assertThat(rejection == AccountRejection.CODE_INVALID).isEqualTo(code.isBlank() || code.contains("#")
                || code.length() > AccountRules.CODE_LENGTH_MAX);
    }

    @Provide
    Arbitrary<String> codes() {
        return Arbitraries.strings().withChars("ab #").ofMaxLength(110);
    }
}
