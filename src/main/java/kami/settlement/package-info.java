/**
 * Merchant balances and settlement: books every payment for an order on the ledger (the net to the merchant's
 * pending balance, the platform fee to the platform), moves it to the available balance after the settlement
 * delay (T+N), reverses refunds, and records payouts. Merchants' balances and statements are read here.
 */
@NullMarked
@ApplicationModule(displayName = "Settlement", allowedDependencies = {"platform", "ledger", "payment", "ordering",
        "catalog"})
package kami.settlement;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
