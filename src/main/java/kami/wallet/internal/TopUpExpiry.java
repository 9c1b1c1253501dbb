package kami.wallet.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import kami.payment.Payments;
import kami.payment.Payments.FinalCheck;
import kami.platform.Roles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives up unpaid top-ups past their deadline, as the order expiry sweep does for orders: the channel is asked
 * once more (outside any transaction) and the payment closed there. A payment it confirms is recorded instead,
 * which credits the wallet; when the channel cannot answer, the top-up waits for the next sweep. A payment that
 * still arrives after the top-up expired credits the wallet all the same.
 */
@Component
class TopUpExpiry {

    static final int BATCH_MAX = 500;

    private static final Logger log = LoggerFactory.getLogger(TopUpExpiry.class);

    private final Roles roles;
    private final JdbcClient jdbc;
    private final Payments payments;
    private final TopUps topUps;
    private final Clock clock;

    TopUpExpiry(JdbcClient jdbc, Payments payments, TopUps topUps, Clock clock, Roles roles) {
        this.roles = roles;
        this.jdbc = jdbc;
        this.payments = payments;
        this.topUps = topUps;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${kami.wallet.top-up-sweep-interval:5s}",
            initialDelayString = "${kami.wallet.top-up-sweep-interval:5s}")
    void sweep() {
        if (!roles.worker()) {
            return;
        }
        String after = "";
        while (true) {
            List<String> due = dueAfter(after);
            if (due.isEmpty()) {
                return;
            }
            int expired = 0;
            for (String topUpNo : notPaid(due)) {
                if (topUps.expire(topUpNo)) {
                    expired++;
                }
            }
            if (expired > 0) {
                log.info("Expired {} unpaid top-ups", expired);
            }
            if (due.size() < BATCH_MAX) {
                return;
            }
            after = due.getLast();
        }
    }

    private List<String> notPaid(List<String> due) {
        return payments.checkAllBeforeExpiry(due).entrySet().stream()
                .filter(check -> check.getValue() == FinalCheck.NOT_PAID).map(Map.Entry::getKey).toList();
    }

    private List<String> dueAfter(String after) {
        return jdbc.sql("""
                select top_up_no from wallet_top_up
                where status = 'PENDING' and expires_at <= :now and top_up_no > :after
                order by top_up_no
                limit :limit""")
                .param("now", Timestamp.from(clock.instant())).param("after", after).param("limit", BATCH_MAX)
                .query(String.class).list();
    }
}
