package kami.payment.internal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Channel accounts for operators. Settings go in, never out: the answer names which settings are set, not their
 * values, because they are credentials.
 */
@RestController
class AdminChannelController {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{0,39}$");

    private final ChannelRegistry channels;
    private final ChannelGuard guard;

    AdminChannelController(ChannelRegistry channels, ChannelGuard guard) {
        this.channels = channels;
        this.guard = guard;
    }

    record ChannelAccountRequest(@Nullable String type, @Nullable Boolean enabled,
            @Nullable Map<String, String> settings) {
    }

    record ChannelAccountView(String name, String type, boolean enabled, List<String> methods, String notifyUrl,
            boolean builtIn, List<MethodPathView> paths) {
    }

    /** One method's path and, for a method with a bank choice, each bank's path inside it. */
    record MethodPathView(String path, String method, boolean switchedOn, String breaker, double share,
            List<BankPathView> banks) {
    }

    /** {@code switchedOn} is false while the bank or its method is switched off. */
    record BankPathView(String path, String bank, boolean switchedOn, String breaker, double share) {
    }

    record ChannelList(List<String> types, List<ChannelAccountView> accounts) {
    }

    @GetMapping("/api/admin/channels")
    ChannelList list() {
        return new ChannelList(channels.types(), channels.all().stream().map(this::view).toList());
    }

    @GetMapping("/api/admin/channels/{name}")
    ChannelAccountView get(@PathVariable String name) {
        return channels.find(name).map(this::view).orElseThrow(() -> notFound(name));
    }

    /** Creates or replaces the account; all its settings are given each time. */
    @PutMapping("/api/admin/channels/{name}")
    ChannelAccountView put(@PathVariable String name, @RequestBody ChannelAccountRequest request) {
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("INVALID_CHANNEL_NAME", "A channel account name is 1 to 40 lower-case "
                    + "letters, digits and dashes, starting with a letter or digit");
        }
        if (request.type() == null || request.type().isBlank()) {
            throw ApiException.badRequest("CHANNEL_TYPE_REQUIRED", "type is required; known: " + channels.types());
        }
        channels.save(name, request.type(), request.enabled() == null || request.enabled(),
                request.settings() == null ? Map.of() : request.settings());
        return get(name);
    }

    @PostMapping("/api/admin/channels/{name}/enable")
    ChannelAccountView enable(@PathVariable String name) {
        return switchTo(name, true);
    }

    @PostMapping("/api/admin/channels/{name}/disable")
    ChannelAccountView disable(@PathVariable String name) {
        return switchTo(name, false);
    }

    /** The static switch of one payment path; every instance applies it within seconds. */
    @PostMapping("/api/admin/channels/{name}/methods/{method}/enable")
    ChannelAccountView enablePath(@PathVariable String name, @PathVariable String method) {
        return switchPath(name, method, true);
    }

    @PostMapping("/api/admin/channels/{name}/methods/{method}/disable")
    ChannelAccountView disablePath(@PathVariable String name, @PathVariable String method) {
        return switchPath(name, method, false);
    }

    /** The static switch of one bank inside a method; switching the method off switches all its banks off. */
    @PostMapping("/api/admin/channels/{name}/methods/{method}/banks/{bank}/enable")
    ChannelAccountView enableBankPath(@PathVariable String name, @PathVariable String method,
            @PathVariable String bank) {
        return switchBankPath(name, method, bank, true);
    }

    @PostMapping("/api/admin/channels/{name}/methods/{method}/banks/{bank}/disable")
    ChannelAccountView disableBankPath(@PathVariable String name, @PathVariable String method,
            @PathVariable String bank) {
        return switchBankPath(name, method, bank, false);
    }

    private ChannelAccountView switchPath(String name, String method, boolean enabled) {
        requireMethod(name, method);
        guard.switchPath(PaymentPath.of(name, method), enabled);
        return get(name);
    }

    private ChannelAccountView switchBankPath(String name, String method, String bank, boolean enabled) {
        ChannelEndpoint endpoint = requireMethod(name, method);
        if (!endpoint.banksOf(method).contains(bank)) {
            throw ApiException.notFound("BANK_NOT_FOUND", "Method " + method + " of channel " + name + " offers "
                    + (endpoint.banksOf(method).isEmpty() ? "no bank choice" : "the banks " + endpoint.banksOf(method))
                    + ", not " + bank);
        }
        guard.switchPath(new PaymentPath(name, method, bank), enabled);
        return get(name);
    }

    private ChannelEndpoint requireMethod(String name, String method) {
        ChannelEndpoint endpoint = channels.find(name).orElseThrow(() -> notFound(name));
        if (!endpoint.offers(method)) {
            throw ApiException.notFound("METHOD_NOT_FOUND", "Channel " + name + " offers " + endpoint.methods()
                    + ", not " + method);
        }
        return endpoint;
    }

    private ChannelAccountView switchTo(String name, boolean enabled) {
        if (SandboxChannel.NAME.equals(name)) {
            throw new ApiException(HttpStatus.CONFLICT, "BUILT_IN_CHANNEL", "The sandbox channel is switched with "
                    + "kami.channels.sandbox.enabled");
        }
        if (WalletChannel.NAME.equals(name)) {
            throw new ApiException(HttpStatus.CONFLICT, "BUILT_IN_CHANNEL", "The wallet channel is always there; "
                    + "switch its path off with /api/admin/channels/wallet/methods/" + WalletChannel.METHOD
                    + "/disable");
        }
        if (!channels.setEnabled(name, enabled)) {
            throw notFound(name);
        }
        return get(name);
    }

    private ChannelAccountView view(ChannelEndpoint endpoint) {
        return new ChannelAccountView(endpoint.name(), endpoint.type(), endpoint.enabled(), endpoint.methods(),
                channels.notifyUrl(endpoint.name()).toString(), endpoint.local(), endpoint.methods().stream()
                        .map(method -> pathView(endpoint, method)).toList());
    }

    private MethodPathView pathView(ChannelEndpoint endpoint, String method) {
        ChannelGuard.PathHealth health = guard.health(PaymentPath.of(endpoint.name(), method));
        List<BankPathView> banks = endpoint.banksOf(method).stream().map(bank -> {
            ChannelGuard.PathHealth ofBank = guard.health(new PaymentPath(endpoint.name(), method, bank));
            return new BankPathView(ofBank.path(), bank, ofBank.switchedOn(), ofBank.breaker(), ofBank.share());
        }).toList();
        return new MethodPathView(health.path(), method, health.switchedOn(), health.breaker(), health.share(), banks);
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound("CHANNEL_NOT_FOUND", "No channel account " + name);
    }
}
