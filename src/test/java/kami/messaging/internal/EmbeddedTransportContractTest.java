package kami.messaging.internal;

/** The messaging contract on the embedded transport, in the shared test context. */
class EmbeddedTransportContractTest extends MessagingContract {
}
