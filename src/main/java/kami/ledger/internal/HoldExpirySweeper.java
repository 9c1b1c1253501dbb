package kami.ledger.internal;

import java.time.Clock;
import java.util.List;
import kami.ledger.TransferResult;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Voids holds past their timeout, so that reserved money returns to its account without anyone asking. Each
 * hold is voided in its own transaction (holding the account rows of one void while locking those of the next
 * could deadlock with transfers); a hold another instance or a caller is resolving right now is skipped.
 */
@Component
class HoldExpirySweeper {

    static final int BATCH_MAX = 500;

    private static final Logger log = LoggerFactory.getLogger(HoldExpirySweeper.class);

    private final Roles roles;
    private final TransferStore transfers;
    private final JdbcLedger ledger;
    private final Clock clock;

    HoldExpirySweeper(TransferStore transfers, JdbcLedger ledger, Clock clock, Roles roles) {
        this.roles = roles;
        this.transfers = transfers;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${kami.ledger.hold-sweep-interval:5s}",
            initialDelayString = "${kami.ledger.hold-sweep-interval:5s}")
    void scheduled() {
        if (!roles.worker()) {
            return;
        }
        sweep();
    }

    /** Voids the holds expired now, in batches; returns how many this call voided. */
    int sweep() {
        int voided = 0;
        while (true) {
            List<String> due = transfers.expiredHolds(clock.instant(), BATCH_MAX);
            int voidedInBatch = 0;
            for (String hold : due) {
                if (ledger.voidExpired(hold) instanceof TransferResult.Applied) {
                    voidedInBatch++;
                }
            }
            voided += voidedInBatch;
            // A batch that voided nothing was taken by others; the next run looks again.
            if (due.size() < BATCH_MAX || voidedInBatch == 0) {
                if (voided > 0) {
                    log.info("Voided {} expired ledger holds", voided);
                }
                return voided;
            }
        }
    }
}
