package kami.payment.internal;

import java.util.Map;
import kami.platform.ApiException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseBody;

/** The sandbox PSP's API and checkout page, and the admin switches for its faults. */
@Controller
class SandboxController {

    private final SandboxPsp psp;
    private final SandboxFaults faults;

    SandboxController(SandboxPsp psp, SandboxFaults faults) {
        this.psp = psp;
        this.faults = faults;
    }

    @PostMapping("/sandbox/api/payments/{paymentNo}/pay")
    @ResponseBody
    Map<String, Object> pay(@PathVariable String paymentNo) {
        SandboxTrade trade = psp.pay(paymentNo);
        return Map.of("paymentNo", trade.paymentNo(), "status", trade.status(), "channelTradeNo",
                trade.channelTradeNo(), "amountMinor", trade.amountMinor(), "currency", trade.currency());
    }

    @GetMapping("/sandbox/checkout/{paymentNo}")
    String checkout(@PathVariable String paymentNo, Model model) {
        SandboxTrade trade = psp.find(paymentNo).orElseThrow(() -> ApiException.notFound("PAYMENT_NOT_FOUND",
                "The sandbox has no payment " + paymentNo));
        model.addAttribute("trade", trade);
        return "sandbox-checkout";
    }

    @PostMapping("/sandbox/checkout/{paymentNo}/pay")
    String payFromCheckout(@PathVariable String paymentNo) {
        SandboxTrade trade = psp.pay(paymentNo);
        return "redirect:" + safeReturnUrl(trade.returnUrl());
    }

    @GetMapping("/api/admin/sandbox/faults")
    @ResponseBody
    SandboxFaults.Settings faults() {
        return faults.current();
    }

    @PutMapping("/api/admin/sandbox/faults")
    @ResponseBody
    SandboxFaults.Settings updateFaults(@RequestBody SandboxFaults.Settings settings) {
        return faults.update(settings);
    }

    /** Only same-site paths: the checkout must not become an open redirect. */
    private static String safeReturnUrl(String returnUrl) {
        return returnUrl.startsWith("/") && !returnUrl.startsWith("//") ? returnUrl : "/";
    }
}
