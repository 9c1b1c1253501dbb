package kami.storefront.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import kami.ordering.Orders;
import kami.ordering.PlaceOrder;
import kami.ordering.PlacedOrder;
import kami.platform.ApiException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Server-rendered pages; they work without JavaScript, which only makes the order page update itself. */
@Controller
class StorefrontController {

    private final ProductListing listing;
    private final Orders orders;
    private final PaymentChoices payments;

    StorefrontController(ProductListing listing, Orders orders, PaymentChoices payments) {
        this.listing = listing;
        this.orders = orders;
        this.payments = payments;
    }

    @GetMapping("/")
    String index(Model model) {
        model.addAttribute("products", listing.all());
        return "index";
    }

    @GetMapping("/products/{productId}")
    String product(@PathVariable long productId, Model model) {
        model.addAttribute("product", listing.one(productId));
        model.addAttribute("payWith", payments.available());
        // One key per rendered form: submitting twice (double click, reload) places one order.
        model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
        return "product";
    }

    @PostMapping("/products/{productId}/order")
    String order(@PathVariable long productId, @RequestParam(defaultValue = "1") int quantity,
            @RequestParam String email, @RequestParam String idempotencyKey,
            @RequestParam(required = false) String payWith, Model model) {
        PaymentChoices.Chosen chosen = PaymentChoices.parse(payWith);
        try {
            PlacedOrder placed = orders.place(new PlaceOrder(productId, quantity, email, chosen.channel(),
                    chosen.method(), chosen.bank()), idempotencyKey);
            return "redirect:" + placed.payment().payUrl();
        } catch (ApiException e) {
            model.addAttribute("product", listing.one(productId));
            model.addAttribute("payWith", payments.available());
            model.addAttribute("chosen", payWith);
            model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
            model.addAttribute("error", e.getMessage());
            model.addAttribute("email", email);
            model.addAttribute("quantity", quantity);
            return "product";
        }
    }

    /** Pages answer a buyer's mistake with a page, not with the API's JSON problem. */
    @ExceptionHandler(ApiException.class)
    String problemPage(ApiException problem, Model model, HttpServletResponse response) {
        response.setStatus(problem.status().value());
        model.addAttribute("status", problem.status().value());
        model.addAttribute("message", problem.getMessage());
        return "problem";
    }

    @GetMapping("/orders/{orderNo}")
    String orderPage(@PathVariable String orderNo, @RequestParam(defaultValue = "") String token, Model model) {
        var order = orders.lookup(orderNo, token).orElseThrow(() -> ApiException.notFound("ORDER_NOT_FOUND",
                "No order " + orderNo + " for this token"));
        model.addAttribute("order", order);
        model.addAttribute("token", token);
        return "order";
    }
}
