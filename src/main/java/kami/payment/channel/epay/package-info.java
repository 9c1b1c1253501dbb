/**
 * The Epay channel (易支付, the "彩虹易支付" v1 protocol used by many card shops): a page-jump payment signed with
 * MD5, notifies as signed form parameters, and an {@code api.php} for order queries and refunds.
 */
@NullMarked
package kami.payment.channel.epay;

import org.jspecify.annotations.NullMarked;
