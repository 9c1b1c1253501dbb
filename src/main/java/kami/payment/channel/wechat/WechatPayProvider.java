package kami.payment.channel.wechat;

import java.time.Clock;
import java.util.List;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelProvider;
import kami.payment.channel.PaymentChannel;
import org.springframework.stereotype.Component;

/**
 * WeChat Pay API v3 for merchants in public-key mode. {@code privateKey} and {@code apiV3Key} are secrets; the
 * rest identifies the account. Optional: {@code baseUrl} (default {@code https://api.mch.weixin.qq.com}),
 * {@code connectTimeoutMs} and {@code readTimeoutMs}.
 */
@Component
class WechatPayProvider implements ChannelProvider {

    static final String TYPE = "wechat";

    private final Clock clock;

    WechatPayProvider(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> methods() {
        return List.of(WechatPayChannel.NATIVE);
    }

    @Override
    public List<String> requiredSettings() {
        return List.of("mchId", "appId", "merchantSerialNumber", "privateKey", "apiV3Key", "publicKeyId",
                "publicKey");
    }

    @Override
    public PaymentChannel connect(ChannelAccount account) {
        if (!TYPE.equals(account.type())) {
            throw new IllegalArgumentException("channel " + account.name() + " is of type " + account.type()
                    + ", not " + TYPE);
        }
        return new WechatPayChannel(WechatPaySettings.from(account), account.notifyUrl(), clock);
    }
}
