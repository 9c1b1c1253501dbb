package kami.ledger.internal.domain;

import java.util.List;
import kami.ledger.BalanceLimit;

/**
 * What never changes about an account: its currency, limit and the rows that carry its balance (itself, or its
 * shards). Safe to cache for the life of the process.
 */
public record AccountTerms(long id, String currency, BalanceLimit limit, List<Long> balanceRowIds) {

    public AccountTerms {
        balanceRowIds = List.copyOf(balanceRowIds);
        if (balanceRowIds.isEmpty()) {
            throw new IllegalArgumentException("account " + id + " needs at least one balance row");
        }
    }

    /**
     * The row a transfer touches. A hot account spreads transfers over its shards by a hash of the transfer id,
     * so a retry of the same transfer lands on the same shard.
     */
    public long balanceRowFor(String transferId) {
        return balanceRowIds.get(Math.floorMod(transferId.hashCode(), balanceRowIds.size()));
    }
}
