package dev.ekscm.functions;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ekscm.model.BadInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * The SQS event and batch response as JSON (Lambda's wire shape: {@code Records[]} with
 * messageId, body, attributes…; {@code batchItemFailures[].itemIdentifier}), for
 * {@code ekscm invoke} and priming, which have no Lambda runtime to convert them.
 */
public final class SqsEvents {
    private SqsEvents() {
    }

    public static SQSEvent parse(JsonNode json, String where) {
        JsonNode records = json == null ? null : json.get("Records");
        if (records == null || !records.isArray()) {
            throw new BadInputException(where + ": not an SQS event (expected an object with a `Records` list)");
        }
        var messages = new ArrayList<SQSEvent.SQSMessage>();
        int i = 0;
        for (JsonNode r : records) {
            if (!r.isObject()) {
                throw new BadInputException(where + ": Records[" + i + "] is not an object");
            }
            var m = new SQSEvent.SQSMessage();
            m.setMessageId(r.path("messageId").asString("record-" + i));
            m.setReceiptHandle(r.path("receiptHandle").asString(null));
            JsonNode body = r.get("body");
            m.setBody(body == null || body.isNull() ? null : body.isString() ? body.asString() : body.toString());
            m.setMd5OfBody(r.path("md5OfBody").asString(null));
            m.setEventSource(r.path("eventSource").asString(null));
            m.setEventSourceArn(r.path("eventSourceARN").asString(null));
            m.setAwsRegion(r.path("awsRegion").asString(null));
            var attributes = new LinkedHashMap<String, String>();
            r.path("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asString()));
            m.setAttributes(attributes);
            messages.add(m);
            i++;
        }
        var event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    public static ObjectNode toJson(SQSBatchResponse response) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        var failures = root.putArray("batchItemFailures");
        response.getBatchItemFailures().forEach(f -> failures.addObject().put("itemIdentifier", f.getItemIdentifier()));
        return root;
    }
}
