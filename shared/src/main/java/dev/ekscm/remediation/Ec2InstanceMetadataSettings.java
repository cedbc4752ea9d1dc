package dev.ekscm.remediation;

import dev.ekscm.model.aws.MetadataOptions;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsResponse;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@link InstanceMetadataSettings} with the EC2 API: DescribeInstances by an {@code instance-id}
 * filter (unlike InstanceIds, a filter does not fail the whole call for one terminated id),
 * ModifyInstanceMetadataOptions per instance.
 */
public final class Ec2InstanceMetadataSettings implements InstanceMetadataSettings {
    /** EC2 accepts at most 200 values in one filter. */
    private static final int FILTER_VALUES = 200;

    private final Ec2Client ec2;

    public Ec2InstanceMetadataSettings(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public Map<String, NodeInstance> describe(Collection<String> instanceIds) {
        var ids = List.copyOf(instanceIds);
        var found = new LinkedHashMap<String, NodeInstance>();
        for (int i = 0; i < ids.size(); i += FILTER_VALUES) {
            var chunk = ids.subList(i, Math.min(ids.size(), i + FILTER_VALUES));
            ec2.describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-id").values(chunk).build()))
                    .reservations().forEach(res -> res.instances().forEach(inst -> found.put(inst.instanceId(), of(inst))));
        }
        return found;
    }

    private static NodeInstance of(Instance i) {
        var o = i.metadataOptions();
        MetadataOptions options = o == null ? MetadataOptions.unset()
                : MetadataOptions.of(o.httpTokensAsString(), o.httpPutResponseHopLimit(), o.httpEndpointAsString());
        Map<String, String> tags = i.tags() == null ? Map.of()
                : i.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
        return new NodeInstance(i.instanceId(), i.state() == null ? "unknown" : i.state().nameAsString(), tags, options);
    }

    @Override
    public MetadataOptions modify(String instanceId, MetadataOptions options) {
        var response = ec2.modifyInstanceMetadataOptions(r -> {
            r.instanceId(instanceId);
            options.httpTokens().ifPresent(r::httpTokens);
            options.httpPutResponseHopLimit().ifPresent(r::httpPutResponseHopLimit);
            options.httpEndpoint().ifPresent(r::httpEndpoint);
        });
        InstanceMetadataOptionsResponse o = response.instanceMetadataOptions();
        if (o == null) {
            return options;
        }
        return MetadataOptions.of(o.httpTokensAsString(), o.httpPutResponseHopLimit(), o.httpEndpointAsString());
    }
}
