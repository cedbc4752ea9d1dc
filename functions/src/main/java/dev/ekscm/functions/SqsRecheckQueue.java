package dev.ekscm.functions;

import dev.ekscm.routing.RecheckRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The recheck FIFO queue on SQS: MessageGroupId = the cluster key (one recheck per cluster at a
 * time), MessageDeduplicationId = hash of cluster, scopes and time bucket, so SQS's 5-minute
 * deduplication window collapses a storm of events into one or two messages.
 */
public final class SqsRecheckQueue implements RecheckQueue {
    /** SendMessage also authorises SendMessageBatch. */
    public static final List<String> IAM_ACTIONS = List.of("sqs:SendMessage");
    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final RecheckMessages messages;
    private final Duration window;

    public SqsRecheckQueue(SqsClient sqs, String queueUrl, RecheckMessages messages, Duration window) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.messages = messages;
        this.window = window;
    }

    @Override
    public int send(List<RecheckRequest> requests) {
        if (requests.size() == 1) {
            RecheckRequest r = requests.get(0);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(messages.toJson(r))
                    .messageGroupId(r.messageGroupId()).messageDeduplicationId(r.deduplicationId(window)));
            return 1;
        }
        int sent = 0;
        var failures = new ArrayList<String>();
        for (int from = 0; from < requests.size(); from += BATCH) {
            var entries = new ArrayList<SendMessageBatchRequestEntry>();
            List<RecheckRequest> chunk = requests.subList(from, Math.min(requests.size(), from + BATCH));
            for (int i = 0; i < chunk.size(); i++) {
                RecheckRequest r = chunk.get(i);
                entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(messages.toJson(r))
                        .messageGroupId(r.messageGroupId()).messageDeduplicationId(r.deduplicationId(window)).build());
            }
            var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            sent += response.successful().size();
            response.failed().forEach(f -> failures.add(chunk.get(Integer.parseInt(f.id())).cluster().key()
                    + ": " + f.code() + " " + f.message()));
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("SQS refused " + failures.size() + " recheck request(s): " + failures);
        }
        return sent;
    }
}
