package dev.ekscm.model.aws;

/** An ECR repository ({@code ecr describe-repositories}). */
public record EcrRepository(String repositoryName, String repositoryUri, String registryId, boolean scanOnPush) {
}
