package kami.payment.internal;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelProvider;
import kami.platform.ApiException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The channel accounts this instance can use: the built-in sandbox (when enabled), the built-in wallet channel
 * and the accounts operators configured, read from the database and re-read every few seconds, so a change made on one instance reaches
 * all of them. An account whose settings no longer connect is left out and reported, never half-used.
 */
@Component
class ChannelRegistry {

    static final String NOTIFY_PATH = "/api/notify/";

    private static final Logger log = LoggerFactory.getLogger(ChannelRegistry.class);

    private final JdbcClient jdbc;
    private final Map<String, ChannelProvider> providers;
    private final @Nullable SandboxChannel sandbox;
    private final WalletChannel wallet;
    private final ChannelSettingsCipher cipher;
    private final PaymentProperties properties;
    private final Environment environment;
    private final Clock clock;
    private volatile @Nullable Map<String, ChannelEndpoint> endpoints;
    private final Map<String, Long> connectedVersions = new HashMap<>();

    ChannelRegistry(JdbcClient jdbc, List<ChannelProvider> providers, Optional<SandboxChannel> sandbox,
            WalletChannel wallet, ChannelSettingsCipher cipher, PaymentProperties properties,
            Environment environment, Clock clock) {
        this.jdbc = jdbc;
        this.providers = providers.stream().collect(Collectors.toMap(ChannelProvider::type, Function.identity()));
        this.sandbox = sandbox.orElse(null);
        this.wallet = wallet;
        this.cipher = cipher;
        this.properties = properties;
        this.environment = environment;
        this.clock = clock;
        for (String builtIn : List.of(SandboxChannel.NAME, WalletChannel.NAME)) {
            if (this.providers.containsKey(builtIn)) {
                throw new IllegalStateException("the channel type '" + builtIn + "' is reserved for a built-in "
                        + "channel");
            }
        }
    }

    Optional<ChannelEndpoint> find(String name) {
        return Optional.ofNullable(endpoints().get(name));
    }

    /** The account, if it exists and is switched on; otherwise the caller's error. */
    ChannelEndpoint requireEnabled(String name) {
        ChannelEndpoint endpoint = name == null ? null : endpoints().get(name);
        if (endpoint == null || !endpoint.enabled()) {
            throw ApiException.badRequest("UNKNOWN_CHANNEL", "Unknown or disabled payment channel '" + name
                    + "'; enabled: " + enabledNames());
        }
        return endpoint;
    }

    List<ChannelEndpoint> all() {
        return endpoints().values().stream().sorted(Comparator.comparing(ChannelEndpoint::name)).toList();
    }

    List<String> types() {
        return providers.keySet().stream().sorted().toList();
    }

    URI notifyUrl(String accountName) {
        URI base = properties.publicBaseUrl();
        if (base == null) {
            String port = environment.getProperty("local.server.port", environment.getProperty("server.port",
                    "8080"));
            base = URI.create("http://127.0.0.1:" + port);
        }
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + NOTIFY_PATH
                + accountName);
    }

    /**
     * Creates or replaces an account. The settings must connect (keys parse, URLs are valid) before anything is
     * stored, so a typo never takes a working account down.
     */
    synchronized void save(String name, String type, boolean enabled, Map<String, String> settings) {
        if (isBuiltIn(name)) {
            throw new ApiException(HttpStatus.CONFLICT, "BUILT_IN_CHANNEL", "The " + name + " channel is built in "
                    + "and cannot be configured through the API");
        }
        ChannelProvider provider = providers.get(type);
        if (provider == null) {
            throw ApiException.badRequest("UNKNOWN_CHANNEL_TYPE", "Unknown channel type '" + type + "'; known: "
                    + types());
        }
        connect(provider, name, settings);
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql("""
                insert into channel_account (name, type, enabled, settings_ciphertext, version, created_at,
                    updated_at)
                values (:name, :type, :enabled, :settings, 1, :now, :now)
                on conflict (name) do update set type = excluded.type, enabled = excluded.enabled,
                    settings_ciphertext = excluded.settings_ciphertext, version = channel_account.version + 1,
                    updated_at = excluded.updated_at""")
                .param("name", name).param("type", type).param("enabled", enabled)
                .param("settings", cipher.seal(name, settings)).param("now", now).update();
        refresh();
    }

    synchronized boolean setEnabled(String name, boolean enabled) {
        int changed = jdbc.sql("""
                update channel_account set enabled = :enabled, version = version + 1, updated_at = :now
                where name = :name""")
                .param("enabled", enabled).param("now", Timestamp.from(clock.instant())).param("name", name)
                .update();
        refresh();
        return changed == 1;
    }

    @Scheduled(fixedDelayString = "${kami.payments.channel-refresh-interval:5s}",
            initialDelayString = "${kami.payments.channel-refresh-interval:5s}")
    synchronized void refresh() {
        Map<String, ChannelEndpoint> previous = endpoints == null ? Map.of() : endpoints;
        Map<String, ChannelEndpoint> next = new LinkedHashMap<>();
        if (sandbox != null) {
            next.put(SandboxChannel.NAME, new ChannelEndpoint(SandboxChannel.NAME, SandboxChannel.NAME, true,
                    SandboxChannel.METHODS, Map.of(SandboxChannel.BANK_METHOD, SandboxChannel.BANKS), sandbox,
                    true));
        }
        next.put(WalletChannel.NAME, new ChannelEndpoint(WalletChannel.NAME, WalletChannel.NAME, true,
                List.of(WalletChannel.METHOD), wallet, true));
        List<AccountRow> rows = jdbc.sql("select name, type, enabled, version from channel_account")
                .query((rs, row) -> new AccountRow(rs.getString("name"), rs.getString("type"),
                        rs.getBoolean("enabled"), rs.getLong("version")))
                .list();
        for (AccountRow row : rows) {
            if (isBuiltIn(row.name())) {
                continue;
            }
            ChannelEndpoint current = previous.get(row.name());
            if (current != null && connectedVersions.getOrDefault(row.name(), -1L) == row.version()) {
                next.put(row.name(), current);
                continue;
            }
            connectStored(row).ifPresent(endpoint -> {
                next.put(row.name(), endpoint);
                connectedVersions.put(row.name(), row.version());
            });
        }
        endpoints = Map.copyOf(next);
    }

    private Optional<ChannelEndpoint> connectStored(AccountRow row) {
        ChannelProvider provider = providers.get(row.type());
        if (provider == null) {
            log.error("ALERT channel account {} has type {}, which this build does not know; it is not used",
                    row.name(), row.type());
            return Optional.empty();
        }
        try {
            byte[] sealed = jdbc.sql("select settings_ciphertext from channel_account where name = :name")
                    .param("name", row.name()).query(byte[].class).single();
            Map<String, String> settings = cipher.open(row.name(), sealed);
            return Optional.of(new ChannelEndpoint(row.name(), row.type(), row.enabled(), provider.methods(),
                    banks(provider), provider.connect(new ChannelAccount(row.name(), row.type(), settings,
                            notifyUrl(row.name()))),
                    false));
        } catch (RuntimeException e) {
            log.error("ALERT channel account {} cannot be used: {}", row.name(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The provider's methods that have a bank choice, with their banks. */
    private static Map<String, List<String>> banks(ChannelProvider provider) {
        Map<String, List<String>> banks = new HashMap<>();
        for (String method : provider.methods()) {
            List<String> ofMethod = provider.banks(method);
            if (!ofMethod.isEmpty()) {
                banks.put(method, List.copyOf(ofMethod));
            }
        }
        return banks;
    }

    private void connect(ChannelProvider provider, String name, Map<String, String> settings) {
        List<String> missing = new ArrayList<>();
        for (String required : provider.requiredSettings()) {
            String value = settings.get(required);
            if (value == null || value.isBlank()) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("INVALID_CHANNEL_SETTINGS", "Channel type " + provider.type()
                    + " needs the settings " + missing);
        }
        try {
            provider.connect(new ChannelAccount(name, provider.type(), settings, notifyUrl(name)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("INVALID_CHANNEL_SETTINGS", e.getMessage());
        }
    }

    static boolean isBuiltIn(String name) {
        return SandboxChannel.NAME.equals(name) || WalletChannel.NAME.equals(name);
    }

    private Map<String, ChannelEndpoint> endpoints() {
        Map<String, ChannelEndpoint> current = endpoints;
        if (current == null) {
            refresh();
            current = endpoints;
        }
        return current;
    }

    private List<String> enabledNames() {
        return all().stream().filter(ChannelEndpoint::enabled).map(ChannelEndpoint::name).toList();
    }

    private record AccountRow(String name, String type, boolean enabled, long version) {
    }
}
