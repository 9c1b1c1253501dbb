package kami.wallet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.stream.Stream;
import kami.payment.PaymentDetails;
import kami.payment.Payments;
import kami.platform.ApiException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The wallet's pages: the wallet itself (log in, balance, history, top up) and the page a wallet payment is paid
 * on, its pay URL. Both talk to the JSON API from the browser, which keeps the login token; the server renders
 * only what needs no login, such as the ways to top up.
 */
@Controller
class WalletPages {

    private final Payments payments;

    WalletPages(Payments payments) {
        this.payments = payments;
    }

    /** One way to top up; {@code value} is {@code channel/method}, or {@code channel/method/bank}. */
    record TopUpChoice(String value, String label) {
    }

    @GetMapping("/wallet")
    String wallet(Model model) {
        model.addAttribute("topUpWith", topUpChoices());
        return "wallet";
    }

    /** The usable ways to pay except the wallet itself, one per usable bank for online banking. */
    private List<TopUpChoice> topUpChoices() {
        return payments.availableMethods().stream()
                .filter(method -> !Payments.WALLET_CHANNEL.equals(method.channel()))
                .flatMap(method -> {
                    String value = method.channel() + "/" + method.method();
                    String label = method.channel() + " · " + method.method();
                    return method.banks().isEmpty() ? Stream.of(new TopUpChoice(value, label))
                            : method.banks().stream().map(bank -> new TopUpChoice(value + "/" + bank,
                                    label + " · " + bank));
                })
                .toList();
    }

    @GetMapping(Payments.WALLET_PAY_PATH + "{paymentNo}")
    String pay(@PathVariable String paymentNo, Model model) {
        PaymentDetails payment = payments.details(paymentNo)
                .filter(found -> Payments.WALLET_CHANNEL.equals(found.channel()))
                .orElseThrow(() -> ApiException.notFound("PAYMENT_NOT_FOUND", "No wallet payment " + paymentNo));
        String returnUrl = payment.returnUrl();
        model.addAttribute("payment", payment);
        model.addAttribute("returnUrl", returnUrl != null && returnUrl.startsWith("/") && !returnUrl.startsWith("//")
                ? returnUrl : "/");
        return "wallet-pay";
    }

    /** Pages answer a mistake with a page, not with the API's JSON problem. */
    @ExceptionHandler(ApiException.class)
    String problemPage(ApiException problem, Model model, HttpServletResponse response) {
        response.setStatus(problem.status().value());
        model.addAttribute("status", problem.status().value());
        model.addAttribute("message", problem.getMessage());
        return "problem";
    }
}
