package dev.distillery.ui;

/**
 * What "Distill for this challenge" hands the Distill wizard: the challenge's teacher (by hash), a run name, and
 * one line about the challenge's limits shown above every step. Lives here so the Network and Distill screens
 * need not know each other.
 */
public record ChallengePrefill(String teacherSha256, String runName, String note) {
}
