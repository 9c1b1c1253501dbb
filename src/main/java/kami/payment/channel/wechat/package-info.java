/**
 * The WeChat Pay (API v3) channel: Native payments shown as a QR code, queries, closing, refunds and notifies.
 * Requests are signed and responses verified by the official SDK (public-key mode, so nothing is downloaded at
 * start); notifies are verified here, because the SDK's parser does not check their age. Settings and state
 * mapping are described in {@code docs/channels/wechat.md}.
 */
@NullMarked
package kami.payment.channel.wechat;

import org.jspecify.annotations.NullMarked;
