package dev.ekscm.routing;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated view of an EventBridge "AWS API Call via CloudTrail" event: the envelope's
 * account, region and time, and the CloudTrail record in {@code detail}. Parsing checks types and
 * formats of every field routing reads and throws {@link MalformedEventException} naming the
 * first bad one.
 */
public record CloudTrailRecord(String id, String source, String account, String region, Instant time,
                               String eventSource, String eventName, String eventId, Optional<String> errorCode,
                               boolean readOnlyFlag, Optional<String> principalArn, Optional<String> sessionIssuerArn,
                               JsonNode detail) {
    public static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    /** EventBridge's own limit on an event: anything larger did not come from it. */
    public static final int MAX_EVENT_BYTES = 256 * 1024;
    /** EventBridge source → the CloudTrail eventSource its records carry. */
    public static final Map<String, String> SOURCES = Map.of(
            "aws.eks", "eks.amazonaws.com",
            "aws.ec2", "ec2.amazonaws.com");
    private static final Pattern ARN = Pattern.compile("arn:[a-z\\-]{1,20}:[a-z0-9\\-]{1,30}:[a-z0-9\\-]{0,30}:\\d{0,12}:[\\x21-\\x7e]{1,1000}");

    /** True when the call only read: CloudTrail's readOnly flag, or a Describe/List/Get name. */
    public boolean readOnly() {
        return readOnlyFlag || eventName.startsWith("Describe") || eventName.startsWith("List")
                || eventName.startsWith("Get");
    }

    public static CloudTrailRecord parse(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new MalformedEventException("$", "expected a JSON object (an EventBridge event), got "
                    + (event == null ? "nothing" : event.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        String detailType = string(event, "detail-type", "detail-type", null);
        if (!DETAIL_TYPE.equals(detailType)) {
            throw new MalformedEventException("detail-type", "expected '" + DETAIL_TYPE + "', got '"
                    + Identifiers.preview(detailType) + "'");
        }
        String source = string(event, "source", "source", null);
        String expectedEventSource = SOURCES.get(source);
        if (expectedEventSource == null) {
            throw new MalformedEventException("source", "unknown source '" + Identifiers.preview(source)
                    + "': this function routes " + SOURCES.keySet().stream().sorted().toList());
        }
        String id = string(event, "id", "id", Identifiers.EVENT_ID);
        String account = string(event, "account", "account", Identifiers.ACCOUNT);
        String region = string(event, "region", "region", Identifiers.REGION);
        JsonNode detail = event.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new MalformedEventException("detail", "expected the CloudTrail record as an object, got "
                    + (detail == null ? "nothing" : detail.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        String eventSource = string(detail, "eventSource", "detail.eventSource", null);
        if (!expectedEventSource.equals(eventSource)) {
            throw new MalformedEventException("detail.eventSource", "'" + Identifiers.preview(eventSource)
                    + "' does not belong to source " + source + " (expected " + expectedEventSource + ")");
        }
        String eventName = string(detail, "eventName", "detail.eventName", Identifiers.EVENT_NAME);
        String eventId = optionalString(detail, "eventID", "detail.eventID", Identifiers.EVENT_ID).orElse(id);
        Instant time = time(detail, event);
        Optional<String> errorCode = optionalString(detail, "errorCode", "detail.errorCode", null);
        JsonNode ro = detail.get("readOnly");
        if (ro != null && !ro.isNull() && !ro.isBoolean()) {
            throw new MalformedEventException("detail.readOnly", "expected true or false, got " + Identifiers.preview(ro.toString()));
        }
        boolean readOnly = ro != null && ro.isBoolean() && ro.booleanValue();
        JsonNode who = detail.get("userIdentity");
        Optional<String> principal = Optional.empty();
        Optional<String> issuer = Optional.empty();
        if (who != null && !who.isNull()) {
            if (!who.isObject()) {
                throw new MalformedEventException("detail.userIdentity", "expected an object");
            }
            principal = optionalString(who, "arn", "detail.userIdentity.arn", ARN);
            JsonNode session = who.path("sessionContext").path("sessionIssuer");
            if (session.isObject()) {
                issuer = optionalString(session, "arn", "detail.userIdentity.sessionContext.sessionIssuer.arn", ARN);
            }
        }
        return new CloudTrailRecord(id, source, account, region, time, eventSource, eventName, eventId, errorCode,
                readOnly, principal, issuer, detail);
    }

    private static Instant time(JsonNode detail, JsonNode event) {
        Optional<String> eventTime = optionalString(detail, "eventTime", "detail.eventTime", null);
        String field = eventTime.isPresent() ? "detail.eventTime" : "time";
        String text = eventTime.orElseGet(() -> string(event, "time", "time", null));
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(field, "expected an ISO-8601 UTC time like 2024-03-02T08:40:12Z, got '"
                    + Identifiers.preview(text) + "'");
        }
    }

    private static String string(JsonNode node, String name, String field, Pattern pattern) {
        return optionalString(node, name, field, pattern)
                .orElseThrow(() -> new MalformedEventException(field, "is missing"));
    }

    private static Optional<String> optionalString(JsonNode node, String name, String field, Pattern pattern) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isString()) {
            throw new MalformedEventException(field, "expected a string, got " + Identifiers.preview(v.toString()));
        }
        String s = v.asString();
        if (s.length() > 2048) {
            throw new MalformedEventException(field, "value of " + s.length() + " characters is too long");
        }
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw new MalformedEventException(field, "'" + Identifiers.preview(s) + "' is not a valid value (expected "
                    + pattern.pattern() + ")");
        }
        return Optional.of(s);
    }
}
