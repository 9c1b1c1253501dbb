package kami.payment.channel.wechat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import kami.payment.channel.ChannelAccount;
import kami.payment.channel.ChannelException;
import kami.payment.channel.ChannelPayment;
import kami.payment.channel.ChannelRefund;
import kami.payment.channel.PaymentChannel;
import kami.platform.Money;

/** A merchant, the simulator, a notify receiver and a connected channel: what every WeChat Pay test starts from. */
final class WechatFixture implements AutoCloseable {

    static final String ACCOUNT = "wechat-test";
    static final Duration PAYMENT_TIME = Duration.ofMinutes(15);

    final MerchantKeys merchant = MerchantKeys.generate();
    final WechatPaySimulator simulator = WechatPaySimulator.start(merchant);
    final NotifyReceiver receiver;
    final WechatPayProvider provider = new WechatPayProvider(Clock.systemUTC());
    final PaymentChannel channel;

    WechatFixture() {
        try {
            receiver = new NotifyReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = connect(Map.of());
        receiver.answerWith(channel);
    }

    /** A channel for this simulator with some settings replaced. */
    PaymentChannel connect(Map<String, String> overrides) {
        return provider.connect(account(overrides));
    }

    ChannelAccount account(Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(simulator.settings());
        settings.putAll(overrides);
        return new ChannelAccount(ACCOUNT, "wechat", settings, receiver.url(ACCOUNT));
    }

    ChannelPayment newPayment(long fen) {
        String paymentNo = "KM" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return new ChannelPayment(paymentNo, WechatPayChannel.NATIVE, Money.of(fen, "CNY"), "Kami license key",
                "https://shop.example/orders/" + paymentNo, Instant.now().plus(PAYMENT_TIME), null);
    }

    ChannelPayment created(long fen) throws ChannelException {
        ChannelPayment payment = newPayment(fen);
        channel.create(payment);
        return payment;
    }

    ChannelPayment paid(long fen) throws ChannelException {
        ChannelPayment payment = created(fen);
        simulator.pay(payment.paymentNo());
        return payment;
    }

    ChannelRefund refundOf(ChannelPayment payment, long fen) {
        String refundNo = "RF" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return new ChannelRefund(refundNo, payment.paymentNo(), "", Money.of(fen, "CNY"), payment.amount(),
                "buyer asked", null);
    }

    void reset() {
        simulator.reset();
        receiver.clear();
    }

    @Override
    public void close() {
        simulator.close();
        receiver.close();
    }
}
