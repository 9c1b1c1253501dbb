package kami.payment.channel.alipay;

import com.alipay.api.AbstractAlipayClient;
import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import java.security.Security;
import java.time.Clock;
import java.util.List;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelProvider;
import kami.payment.channel.PaymentChannel;
import org.springframework.stereotype.Component;

/** Alipay accounts: one application each, identified by its app id and RSA2 key pair. */
@Component
class AlipayProvider implements ChannelProvider {

    static final String TYPE = "alipay";

    private final Clock clock;

    AlipayProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> methods() {
        return List.of(AlipayChannel.METHOD_PAGE, AlipayChannel.METHOD_WAP);
    }

    @Override
    public List<String> requiredSettings() {
        return List.of(AlipaySettings.GATEWAY_URL, AlipaySettings.APP_ID, AlipaySettings.PRIVATE_KEY,
                AlipaySettings.ALIPAY_PUBLIC_KEY);
    }

    @Override
    public PaymentChannel connect(ChannelAccount account) {
        if (!TYPE.equals(account.type())) {
            throw new IllegalArgumentException("channel " + account.name() + " is of type " + account.type()
                    + ", not " + TYPE);
        }
        AlipaySettings settings = AlipaySettings.from(account);
        return new AlipayChannel(account, settings, client(account, settings), clock);
    }

    private static AlipayClient client(ChannelAccount account, AlipaySettings settings) {
        SdkLoaded.ensure();
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(settings.gatewayUrl().toString());
        config.setAppId(settings.appId());
        config.setPrivateKey(settings.privateKey());
        // With the Alipay public key set, the SDK verifies the signature of every answer it reads.
        config.setAlipayPublicKey(settings.alipayPublicKey());
        config.setSignType(AlipayNotifies.SIGN_TYPE);
        config.setCharset(AlipayNotifies.CHARSET);
        config.setFormat("json");
        config.setConnectTimeout(Math.toIntExact(settings.connectTimeout().toMillis()));
        config.setReadTimeout(Math.toIntExact(settings.readTimeout().toMillis()));
        try {
            return new DefaultAlipayClient(config);
        } catch (AlipayApiException e) {
            throw new IllegalArgumentException("channel " + account.name() + ": Alipay client refused the settings: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loading the SDK's client class clears {@code jdk.certpath.disabledAlgorithms} for the whole JVM (a static
     * initialiser meant for its certificate mode), which would let every TLS connection of Kami accept MD5 or
     * SHA-1 certificate chains. Kami uses public-key mode, so the JVM's value is put back as soon as the class
     * is loaded, before any client exists.
     */
    private static final class SdkLoaded {

        private static final String PROPERTY = "jdk.certpath.disabledAlgorithms";

        static {
            String before = Security.getProperty(PROPERTY);
            try {
                Class.forName(AbstractAlipayClient.class.getName(), true, AbstractAlipayClient.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("alipay-sdk-java is not on the class path", e);
            } finally {
                if (before != null) {
                    Security.setProperty(PROPERTY, before);
                }
            }
        }

        static void ensure() {
            // Running the static initialiser is the whole point.
        }
    }
}
