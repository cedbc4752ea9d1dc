package dev.ekscm.routing;

import dev.ekscm.model.ClusterId;
import dev.ekscm.model.Scope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request to recheck one cluster over some scopes: the message on the recheck FIFO queue.
 *
 * @param trigger what asked for it: {@code event:eks:UpdateClusterConfig}, {@code schedule}, …
 * @param eventId the CloudTrail event id (or the schedule event id) it came from
 * @param time    when the change happened (the record's eventTime) or the sweep ran; it picks the
 *                deduplication time bucket
 */
public record RecheckRequest(ClusterId cluster, Set<Scope> scopes, String trigger, String eventId, Instant time) {
    public RecheckRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("a recheck request needs at least one scope");
        }
        scopes = Set.copyOf(EnumSet.copyOf(scopes));
    }

    public static RecheckRequest full(ClusterId cluster, String trigger, String eventId, Instant time) {
        return new RecheckRequest(cluster, Scope.all(), trigger, eventId, time);
    }

    public boolean isFull() {
        return scopes.containsAll(Scope.all());
    }

    /** The FIFO message group: one per cluster, so a cluster's rechecks never run side by side. */
    public String messageGroupId() {
        String key = cluster.key();
        return key.length() <= 128 ? key : sha256(key);
    }

    /**
     * The FIFO deduplication id: the same cluster and scopes in the same time bucket give the same
     * id, so SQS drops the repeats that arrive within its 5-minute deduplication window.
     */
    public String deduplicationId(Duration bucket) {
        long seconds = Math.max(1, bucket.toSeconds());
        long bucketStart = Math.floorDiv(time.getEpochSecond(), seconds) * seconds;
        String scopeList = EnumSet.copyOf(scopes).stream().map(Enum::name).collect(Collectors.joining(","));
        return sha256(cluster.key() + "|" + scopeList + "|" + bucketStart);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
