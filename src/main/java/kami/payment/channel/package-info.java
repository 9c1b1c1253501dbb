/**
 * The channel SPI: what the gateway asks of a payment channel, and the values it gets back. Adding a channel is
 * one package with a {@link kami.payment.channel.ChannelProvider} bean and its settings; nothing else changes.
 *
 * <p>Contract every adapter keeps:
 * <ul>
 * <li>An outcome the adapter cannot prove (timeout, 5xx, unparseable answer, bad response signature) is
 * {@code Unknown}, never a failure: the gateway queries again later.</li>
 * <li>A notify is {@code Verified} only when its signature (or decryption) checks out and it names this channel
 * account (merchant id / app id). Amount and payment number are checked by the gateway against its own record.</li>
 * <li>Adapters hold no state of their own between calls; the gateway owns payments, refunds and schedules.</li>
 * </ul>
 */
@NullMarked
package kami.payment.channel;

import org.jspecify.annotations.NullMarked;
