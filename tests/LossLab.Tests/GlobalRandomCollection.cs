namespace LossLab.Tests;

/// <summary>Tests that seed torch's process-wide generator and compare draws: they run alone, after the parallel tests,
/// so no other test consumes the global generator between their seeding and their draws.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "Global random state";
}
