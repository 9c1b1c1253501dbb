package kami.inventory.internal;

import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kami.catalog.Catalog;
import kami.inventory.ImportResult;
import kami.inventory.KeyVault;
import kami.inventory.Stock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

@Service
class JdbcKeyVault implements KeyVault {

    private static final int INSERT_BATCH_SIZE = 1_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final VaultCrypto crypto;
    private final Catalog catalog;
    private final Clock clock;
    private final ReservationCursors cursors;

    JdbcKeyVault(JdbcClient jdbc, JdbcTemplate template, VaultCrypto crypto, Catalog catalog, Clock clock,
            ReservationCursors cursors) {
        this.jdbc = jdbc;
        this.template = template;
        this.crypto = crypto;
        this.catalog = catalog;
        this.clock = clock;
        this.cursors = cursors;
    }

    @Override
    @Transactional
    public ImportResult importKeys(long productId, String body) {
        catalog.require(productId);
        KeyLines lines = KeyLines.parse(body);
        Set<ByteBuffer> seen = new HashSet<>();
        List<Object[]> rows = new ArrayList<>(lines.keys().size());
        Timestamp now = Timestamp.from(clock.instant());
        int duplicates = 0;
        for (String key : lines.keys()) {
            byte[] index = crypto.blindIndex(productId, key);
            if (!seen.add(ByteBuffer.wrap(index))) {
                duplicates++;
                continue;
            }
            rows.add(new Object[] {productId, crypto.seal(productId, key), index, now});
        }
        int imported = 0;
        for (int from = 0; from < rows.size(); from += INSERT_BATCH_SIZE) {
            List<Object[]> batch = rows.subList(from, Math.min(rows.size(), from + INSERT_BATCH_SIZE));
            int[] counts = template.batchUpdate("""
                    insert into vault_key (product_id, status, ciphertext, blind_index, created_at)
                    values (?, 'AVAILABLE', ?, ?, ?)
                    on conflict (product_id, blind_index) do nothing""", batch);
            for (int count : counts) {
                imported += count;
            }
        }
        duplicates += rows.size() - imported;
        return new ImportResult(imported, duplicates, lines.rejected());
    }

    @Override
    public Stock stock(long productId) {
        catalog.require(productId);
        Map<String, Long> counts = new HashMap<>();
        jdbc.sql("select status, count(*) as n from vault_key where product_id = :p group by status")
                .param("p", productId)
                .query(rs -> {
                    counts.put(rs.getString("status"), rs.getLong("n"));
                });
        return new Stock(counts.getOrDefault("AVAILABLE", 0L), counts.getOrDefault("RESERVED", 0L),
                counts.getOrDefault("SOLD", 0L));
    }

    @Override
    public Map<Long, Long> availableByProduct() {
        Map<Long, Long> available = new HashMap<>();
        jdbc.sql("select product_id, count(*) as n from vault_key where status = 'AVAILABLE' group by product_id")
                .query(rs -> {
                    available.put(rs.getLong("product_id"), rs.getLong("n"));
                });
        return available;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean reserve(long productId, int quantity, String orderNo) {
        if (quantity < 1 || quantity > RESERVE_MAX) {
            throw new IllegalArgumentException("quantity must be 1 to " + RESERVE_MAX + ": " + quantity);
        }
        long start = cursors.startFor(productId);
        List<Long> reserved = reserveFrom(start, productId, quantity, orderNo);
        if (reserved.isEmpty() && start > 0) {
            // Row locks taken by the first attempt stay with this transaction; the second scan may pick them again.
            reserved = reserveFrom(0, productId, quantity, orderNo);
        }
        if (reserved.isEmpty()) {
            return false;
        }
        if (reserved.size() != quantity) {
            throw new IllegalStateException("reserved " + reserved.size() + " keys for " + orderNo + ", wanted "
                    + quantity);
        }
        cursors.reservedUpTo(productId, reserved.stream().mapToLong(Long::longValue).max().orElseThrow());
        return true;
    }

    private List<Long> reserveFrom(long startId, long productId, int quantity, String orderNo) {
        // All or nothing in one statement: the update applies only when enough unlocked keys were picked.
        // The limit is written into the statement (a checked int, one prepared statement per quantity): with a
        // parameter there, PostgreSQL's generic plan assumes a tenth of the table and loses to a custom plan,
        // so the statement would be planned again on every order.
        return jdbc.sql("""
                with picked as (
                    select id from vault_key
                    where product_id = :product and status = 'AVAILABLE' and id >= :start
                    order by id
                    limit %d
                    for update skip locked),
                enough as (select count(*) = :quantity as ok from picked)
                update vault_key v
                set status = 'RESERVED', order_no = :order, reserved_at = :now
                from picked, enough
                where v.id = picked.id and enough.ok
                returning v.id""".formatted(quantity))
                .param("product", productId).param("quantity", quantity).param("order", orderNo)
                .param("start", startId).param("now", Timestamp.from(clock.instant()))
                .query(Long.class).list();
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public int release(Collection<String> orderNos) {
        if (orderNos.isEmpty()) {
            return 0;
        }
        List<long[]> released = jdbc.sql("""
                update vault_key set status = 'AVAILABLE', order_no = null, reserved_at = null
                where order_no in (:orders) and status = 'RESERVED'
                returning product_id, id""")
                .param("orders", orderNos)
                .query((rs, row) -> new long[] {rs.getLong("product_id"), rs.getLong("id")})
                .list();
        // Moved back only after commit would be exact; moving it back now costs at most one wasted scan.
        released.forEach(key -> cursors.released(key[0], key[1]));
        return released.size();
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public int markSold(String orderNo) {
        return jdbc.sql("""
                update vault_key set status = 'SOLD', sold_at = :now
                where order_no = :order and status = 'RESERVED'""")
                .param("order", orderNo).param("now", Timestamp.from(clock.instant())).update();
    }

    @Override
    public List<String> soldKeys(String orderNo) {
        return jdbc.sql("select product_id, ciphertext from vault_key where order_no = :order and status = 'SOLD'"
                + " order by id")
                .param("order", orderNo)
                .query((rs, row) -> crypto.open(rs.getLong("product_id"), rs.getBytes("ciphertext")))
                .list();
    }
}
