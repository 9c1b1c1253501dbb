/**
 * The Alipay open-API channel ({@code alipay.trade.page.pay} and {@code alipay.trade.wap.pay}) through the
 * official {@code alipay-sdk-java} in public-key mode with RSA2. Every answer Alipay gives is signed; an answer
 * whose signature does not check out, or that the SDK cannot read, is {@code Unknown}. See
 * {@code docs/channels/alipay.md}.
 */
@NullMarked
package kami.payment.channel.alipay;

import org.jspecify.annotations.NullMarked;
