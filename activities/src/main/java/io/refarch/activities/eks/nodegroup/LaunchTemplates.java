package io.refarch.activities.eks.nodegroup;

import io.refarch.spec.NodePool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * The launch template of a managed node group, as eksctl builds it from the seed: instance type,
 * AMI, one gp3 root volume (300 GB, 6000 IOPS, 500 MB/s), EBS-optimized, IMDSv1 still allowed
 * ({@code disableIMDSv1: false}) with a hop limit of 2 so pods reach the metadata service, the user
 * data that joins the node with max pods 110, and the tags on the instances and volumes it starts.
 */
public final class LaunchTemplates {
  private LaunchTemplates() {}

  /** Ubuntu's root device is /dev/sda1, Amazon Linux's /dev/xvda. */
  public static String rootDevice(String amiFamily) {
    return amiFamily.startsWith("Ubuntu") ? "/dev/sda1" : "/dev/xvda";
  }

  public static RequestLaunchTemplateData data(
      NodePool pool,
      String amiFamily,
      String imageId,
      String userDataBase64,
      Map<String, String> tags) {
    List<Tag> ec2Tags = new ArrayList<>();
    tags.forEach((k, v) -> ec2Tags.add(Tag.builder().key(k).value(v).build()));
    return RequestLaunchTemplateData.builder()
        .instanceType(pool.machineType())
        .imageId(imageId)
        .ebsOptimized(true)
        .blockDeviceMappings(
            b ->
                b.deviceName(rootDevice(amiFamily))
                    .ebs(
                        e ->
                            e.volumeSize(pool.diskSizeGb())
                                .volumeType(VolumeType.fromValue(pool.diskType()))
                                .iops(pool.diskIops())
                                .throughput(pool.diskThroughput())
                                .deleteOnTermination(true)))
        .metadataOptions(
            m ->
                m.httpEndpoint(LaunchTemplateInstanceMetadataEndpointState.ENABLED)
                    .httpTokens(LaunchTemplateHttpTokensState.OPTIONAL)
                    .httpPutResponseHopLimit(2))
        .userData(userDataBase64)
        .tagSpecifications(
            t -> t.resourceType(ResourceType.INSTANCE).tags(ec2Tags),
            t -> t.resourceType(ResourceType.VOLUME).tags(ec2Tags))
        .build();
  }
}
