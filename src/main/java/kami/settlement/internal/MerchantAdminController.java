package kami.settlement.internal;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import kami.catalog.Catalog;
import kami.ledger.Ledger;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/** Merchants' money for operators: balances, statements (JSON pages or a CSV export), payouts, settling now. */
@RestController
class MerchantAdminController {

    static final int PAGE_DEFAULT = 50;
    static final int CSV_PAGE = 1_000;

    private static final CsvMapper CSV = CsvMapper.builder().build();
    private static final CsvSchema CSV_SCHEMA = CSV.schemaFor(MerchantStatements.Line.class).withHeader();

    private final MerchantStatements statements;
    private final Payouts payouts;
    private final SettlementSweeper sweeper;
    private final Catalog catalog;

    MerchantAdminController(MerchantStatements statements, Payouts payouts, SettlementSweeper sweeper,
            Catalog catalog) {
        this.statements = statements;
        this.payouts = payouts;
        this.sweeper = sweeper;
        this.catalog = catalog;
    }

    record PayoutBody(@Nullable String currency, @Nullable Long amountMinor, @Nullable String destination) {
    }

    record PaidBody(@Nullable String reference) {
    }

    record FailedBody(@Nullable String reason) {
    }

    @GetMapping("/api/admin/merchants/{id}/balance")
    MerchantStatements.Balance balance(@PathVariable long id) {
        requireMerchant(id);
        return statements.balance(id);
    }

    @GetMapping("/api/admin/merchants/{id}/statement")
    MerchantStatements.Statement statement(@PathVariable long id,
            @RequestParam(required = false) @Nullable String currency,
            @RequestParam(required = false) @Nullable String account,
            @RequestParam(required = false) @Nullable Long before,
            @RequestParam(defaultValue = "" + PAGE_DEFAULT) int limit,
            @RequestParam(required = false) @Nullable String format) {
        requireMerchant(id);
        if (format != null && !"json".equalsIgnoreCase(format)) {
            throw ApiException.badRequest("INVALID_FORMAT", "format is json or csv");
        }
        if (limit < 1 || limit > Ledger.HISTORY_MAX) {
            throw ApiException.badRequest("LIMIT_OUT_OF_RANGE", "limit is 1 to " + Ledger.HISTORY_MAX);
        }
        return statements.statement(id, currencyOf(id, currency), MerchantStatements.StatementAccount.parse(account),
                before, limit);
    }

    /** The CSV export: asked for with {@code format=csv} or {@code Accept: text/csv}. */
    @GetMapping(value = "/api/admin/merchants/{id}/statement", params = "format=csv")
    ResponseEntity<StreamingResponseBody> statementCsv(@PathVariable long id,
            @RequestParam(required = false) @Nullable String currency,
            @RequestParam(required = false) @Nullable String account,
            @RequestParam(required = false) @Nullable Long before) {
        requireMerchant(id);
        String code = currencyOf(id, currency);
        MerchantStatements.StatementAccount which = MerchantStatements.StatementAccount.parse(account);
        String file = "statement-merchant-" + id + "-" + which.name().toLowerCase(Locale.ROOT) + "-" + code + ".csv";
        StreamingResponseBody body = out -> writeCsv(out, id, code, which, before);
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"").body(body);
    }

    @GetMapping(value = "/api/admin/merchants/{id}/statement", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> statementCsvByAccept(@PathVariable long id,
            @RequestParam(required = false) @Nullable String currency,
            @RequestParam(required = false) @Nullable String account,
            @RequestParam(required = false) @Nullable Long before) {
        return statementCsv(id, currency, account, before);
    }

    /** The whole statement (below {@code before} if given), newest first, read and written a page at a time. */
    private void writeCsv(OutputStream out, long merchantId, String currency,
            MerchantStatements.StatementAccount account, @Nullable Long before) {
        try (SequenceWriter writer = CSV.writer(CSV_SCHEMA).writeValues(out)) {
            Long cursor = before;
            do {
                MerchantStatements.Statement page = statements.statement(merchantId, currency, account, cursor,
                        CSV_PAGE);
                for (MerchantStatements.Line line : page.lines()) {
                    writer.write(safeForSpreadsheets(line));
                }
                cursor = page.nextBefore();
            } while (cursor != null);
        }
    }

    /** A text cell starting like a formula would be run by a spreadsheet opening the file: make it text. */
    static MerchantStatements.Line safeForSpreadsheets(MerchantStatements.Line line) {
        return new MerchantStatements.Line(line.sequence(), line.at(), line.type(), line.status(), line.amountMinor(),
                line.balanceAfterMinor(), line.currency(), quoteFormula(line.reference()),
                quoteFormula(line.transferId()));
    }

    private static @Nullable String quoteFormula(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    @PostMapping("/api/admin/merchants/{id}/payouts")
    ResponseEntity<Payouts.Payout> requestPayout(@PathVariable long id, @RequestBody PayoutBody body,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey,
            @RequestHeader(name = "X-Operator", required = false) @Nullable String operator) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 200) {
            throw ApiException.badRequest("IDEMPOTENCY_KEY_REQUIRED", "An Idempotency-Key header (at most 200 "
                    + "characters) is required so that a retried request pays out once");
        }
        if (body.amountMinor() == null) {
            throw ApiException.badRequest("INVALID_AMOUNT", "amountMinor is required");
        }
        Payouts.Requested requested = payouts.request(id, Currencies.require(body.currency()), body.amountMinor(),
                body.destination() == null ? "" : body.destination().strip(), idempotencyKey, who(operator));
        return ResponseEntity.status(requested.replayed() ? HttpStatus.OK : HttpStatus.CREATED)
                .header("Idempotent-Replayed", Boolean.toString(requested.replayed())).body(requested.payout());
    }

    @GetMapping("/api/admin/merchants/{id}/payouts")
    List<Payouts.Payout> payoutsOf(@PathVariable long id, @RequestParam(defaultValue = "100") int limit) {
        requireMerchant(id);
        if (limit < 1 || limit > 1_000) {
            throw ApiException.badRequest("LIMIT_OUT_OF_RANGE", "limit is 1 to 1000");
        }
        return payouts.ofMerchant(id, limit);
    }

    @GetMapping("/api/admin/payouts/{payoutNo}")
    Payouts.Payout payout(@PathVariable String payoutNo) {
        return payouts.find(payoutNo).orElseThrow(() -> ApiException.notFound("PAYOUT_NOT_FOUND",
                "No payout " + payoutNo));
    }

    @PostMapping("/api/admin/payouts/{payoutNo}/paid")
    Payouts.Payout paid(@PathVariable String payoutNo, @RequestBody(required = false) @Nullable PaidBody body) {
        String reference = body == null || body.reference() == null ? null : body.reference().strip();
        if (reference != null && reference.length() > Payouts.TEXT_MAX) {
            throw ApiException.badRequest("INVALID_REFERENCE", "reference is at most " + Payouts.TEXT_MAX
                    + " characters");
        }
        return payouts.complete(payoutNo, reference);
    }

    @PostMapping("/api/admin/payouts/{payoutNo}/failed")
    Payouts.Payout failed(@PathVariable String payoutNo, @RequestBody(required = false) @Nullable FailedBody body) {
        String reason = body == null || body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty() || reason.length() > Payouts.TEXT_MAX) {
            throw ApiException.badRequest("INVALID_REASON", "reason (why the payout failed) is required, at most "
                    + Payouts.TEXT_MAX + " characters");
        }
        return payouts.fail(payoutNo, reason);
    }

    record SettlementRun(int settledPayments) {
    }

    @PostMapping("/api/admin/settlement/run")
    SettlementRun settleNow() {
        return new SettlementRun(sweeper.sweep());
    }

    private void requireMerchant(long id) {
        if (!catalog.merchantExists(id)) {
            throw ApiException.notFound("MERCHANT_NOT_FOUND", "No merchant with id " + id);
        }
    }

    private String currencyOf(long merchantId, @Nullable String currency) {
        if (currency != null) {
            return Currencies.require(currency);
        }
        List<String> currencies = statements.currencies(merchantId);
        if (currencies.size() != 1) {
            throw ApiException.badRequest("CURRENCY_REQUIRED", currencies.isEmpty()
                    ? "The merchant has no balance yet; name the currency" : "The merchant has balances in "
                    + currencies + "; name the currency");
        }
        return currencies.getFirst();
    }

    private static String who(@Nullable String operator) {
        String who = operator == null || operator.isBlank() ? "admin" : operator.strip();
        return who.length() > 100 ? who.substring(0, 100) : who;
    }
}
