package kami.payment.channel.epay;

import java.time.Clock;
import java.util.List;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelProvider;
import kami.payment.channel.PaymentChannel;
import org.springframework.stereotype.Component;

/**
 * The Epay protocol (易支付, "彩虹易支付" v1). Required settings: {@code gatewayUrl}, {@code pid}, {@code key}
 * (secret). Optional: {@code connectTimeoutMs} (2000), {@code requestTimeoutMs} (5000), {@code timeZone} of the
 * provider's clock (Asia/Shanghai).
 */
@Component
class EpayProvider implements ChannelProvider {

    static final String TYPE = "epay";

    /** The protocol's {@code type} values, prefixed with the channel type. */
    static final List<String> METHODS = List.of("epay.alipay", "epay.wxpay", "epay.qqpay");

    private final Clock clock;

    EpayProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> methods() {
        return METHODS;
    }

    @Override
    public List<String> requiredSettings() {
        return List.of("gatewayUrl", "pid", "key");
    }

    @Override
    public PaymentChannel connect(ChannelAccount account) {
        if (!TYPE.equals(account.type())) {
            throw new IllegalArgumentException("channel " + account.name() + " is of type " + account.type()
                    + ", not " + TYPE);
        }
        return new EpayChannel(EpaySettings.from(account), clock);
    }
}
