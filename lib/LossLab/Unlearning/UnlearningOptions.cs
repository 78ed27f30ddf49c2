namespace LossLab.Unlearning;

/// <summary>
/// The optimisation budget of an unlearning run: a fixed number of SGD steps, each on one forget and one retain
/// mini-batch. Defaults follow SalUn's code (SGD, lr 0.01, momentum 0.9, weight decay 5e-4, arXiv:2310.12508) and SCRUB's
/// batch sizes (32 forget, 128 retain).
/// </summary>
public sealed record UnlearningOptions
{
    /// <summary>Number of optimizer steps (the budget).</summary>
    public int Steps { get; init; } = 100;
    /// <summary>SGD learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;
    /// <summary>SGD weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;
    /// <summary>Forget mini-batch size (0: no forget batch).</summary>
    public int ForgetBatchSize { get; init; } = 32;
    /// <summary>Retain mini-batch size (0: no retain batch).</summary>
    public int RetainBatchSize { get; init; } = 128;
    /// <summary>Seed of the batch order.</summary>
    public long Seed { get; init; }

    /// <summary>Throws unless every field is in range.</summary>
    public void Validate()
    {
        if (Steps < 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be ≥ 0.");
        Guard.Positive(LearningRate, nameof(LearningRate));
        Guard.InRange(Momentum, 0, 1, nameof(Momentum));
        Guard.NonNegative(WeightDecay, nameof(WeightDecay));
        if (ForgetBatchSize < 0) throw new ArgumentOutOfRangeException(nameof(ForgetBatchSize), ForgetBatchSize, "ForgetBatchSize must be ≥ 0.");
        if (RetainBatchSize < 0) throw new ArgumentOutOfRangeException(nameof(RetainBatchSize), RetainBatchSize, "RetainBatchSize must be ≥ 0.");
        if (ForgetBatchSize == 0 && RetainBatchSize == 0)
            throw new ArgumentException("ForgetBatchSize and RetainBatchSize cannot both be 0.", nameof(RetainBatchSize));
    }
}
