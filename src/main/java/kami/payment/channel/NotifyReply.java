package kami.payment.channel;

/** The HTTP answer a channel expects to a notify. */
public record NotifyReply(int status, String contentType, String body) {

    public static NotifyReply text(int status, String body) {
        return new NotifyReply(status, "text/plain;charset=UTF-8", body);
    }
}
