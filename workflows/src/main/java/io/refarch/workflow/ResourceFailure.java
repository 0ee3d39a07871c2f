package io.refarch.workflow;

/** A resource that could not be deleted, and why. */
public record ResourceFailure(String resource, String reason) {}
