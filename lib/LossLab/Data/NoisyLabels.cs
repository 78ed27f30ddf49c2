namespace LossLab.Data;

/// <summary>Labels after noise was applied, and for each sample whether its label now differs from the original.</summary>
public sealed record NoisyLabels(long[] Labels, bool[] Changed)
{
    /// <summary>The number of labels that differ from the original.</summary>
    public int ChangedCount => Changed.Count(c => c);
}
