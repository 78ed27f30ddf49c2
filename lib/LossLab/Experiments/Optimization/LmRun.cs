namespace LossLab.Experiments.Optimization;

/// <summary>One run of <see cref="InstabilityBench"/>: per ordinary (non-outlier) step before its update, the
/// cross-entropy (without the z-loss term), the mean log Z of the output softmax and the largest attention logit.</summary>
/// <param name="Arm">The arm's name.</param>
/// <param name="Variant">The variant's name.</param>
/// <param name="Rate">The peak learning rate.</param>
/// <param name="Clipping">The clipper's name ("none" without one).</param>
/// <param name="Seed">The seed of initialisation and batches.</param>
/// <param name="Loss">Cross-entropy per ordinary step (up to the last finite one).</param>
/// <param name="LogZ">Mean log Z per ordinary step.</param>
/// <param name="AttentionLogit">Largest pre-softmax attention logit over the blocks per ordinary step.</param>
/// <param name="Finite">Whether the run completed (false: a non-finite loss stopped it).</param>
/// <param name="Spikes">Loss spikes among the ordinary steps.</param>
public sealed record LmRun(string Arm, string Variant, double Rate, string Clipping, int Seed, double[] Loss, double[] LogZ,
    double[] AttentionLogit, bool Finite, int Spikes)
{
    /// <summary>The loss of the first step.</summary>
    public double Initial => Loss[0];

    /// <summary>The mean loss of the last 10 steps; +∞ for a diverged run.</summary>
    public double Final => Finite ? Loss.TakeLast(10).Average() : double.PositiveInfinity;

    /// <summary>|log Z_T − log Z_0|, log Z_T the mean of the last 10 steps: how far the output normaliser drifted.</summary>
    public double LogZDrift => Math.Abs(LogZ.TakeLast(10).Average() - LogZ[0]);

    /// <summary>The largest attention logit of the run.</summary>
    public double MaxAttentionLogit => AttentionLogit.Max();
}
