namespace LossLab.Scaling;

/// <summary>
/// The learning rates of one training run, as the loss-curve laws read them: η₀ is the rate at the end of warm-up
/// (the peak), η_t the rate of step t = 1…T after warm-up, and S_W the warm-up area Σ η over the warm-up steps.
/// Holds the prefix sums S₁(t) = Σ_{τ=1..t} η_τ, so S_k(t) = S₁(t) − S₁(k − 1).
/// </summary>
public sealed class LearningRateTrace
{
    readonly double[] rates, prefix;

    /// <summary>Wraps post-warm-up rates η₀…η_T and the warm-up area S_W.</summary>
    /// <exception cref="ArgumentException">Fewer than two rates, or a rate is not positive and finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupArea"/> is negative.</exception>
    public LearningRateTrace(IReadOnlyList<double> rates, double warmupArea = 0)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count < 2) throw new ArgumentException($"rates must hold η₀ and at least one step; got {rates.Count} value(s).", nameof(rates));
        for (int i = 0; i < rates.Count; i++)
            if (!(rates[i] > 0) || !double.IsFinite(rates[i]))
                throw new ArgumentException($"rates[{i}] = {rates[i]}: learning rates must be positive and finite.", nameof(rates));
        this.rates = [.. rates];
        WarmupArea = Guard.NonNegative(warmupArea, nameof(warmupArea));
        prefix = new double[this.rates.Length];
        for (int t = 1; t < prefix.Length; t++) prefix[t] = prefix[t - 1] + this.rates[t];
    }

    /// <summary>From the rate of every training step (step i uses <paramref name="stepRates"/>[i]) and the number of
    /// warm-up steps W: S_W = Σ_{i&lt;W} rateᵢ, η₀ = rate_{W−1} (rate₀ when W = 0) and η_t = rate_{W+t−1}.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> leaves no step after warm-up.</exception>
    public static LearningRateTrace FromSteps(IReadOnlyList<double> stepRates, int warmupSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(stepRates);
        if (warmupSteps < 0 || warmupSteps >= stepRates.Count)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"warmupSteps must lie in [0, {stepRates.Count - 1}].");
        double area = 0;
        for (int i = 0; i < warmupSteps; i++) area += stepRates[i];
        var post = new double[stepRates.Count - warmupSteps + 1];
        post[0] = stepRates[Math.Max(0, warmupSteps - 1)];
        for (int t = 1; t < post.Length; t++) post[t] = stepRates[warmupSteps + t - 1];
        return new LearningRateTrace(post, area);
    }

    /// <summary>The number T of steps after warm-up.</summary>
    public int Steps => rates.Length - 1;

    /// <summary>η_t for t = 0…T.</summary>
    public double Rate(int t) => rates[t];

    /// <summary>The rates η₀…η_T.</summary>
    public IReadOnlyList<double> Rates => rates;

    /// <summary>The warm-up area S_W.</summary>
    public double WarmupArea { get; }

    /// <summary>S₁(t) = Σ_{τ=1..t} η_τ (0 at t = 0).</summary>
    public double ForwardArea(int t) => prefix[t];

    /// <summary>S_k(t) = Σ_{τ=k..t} η_τ.</summary>
    public double Area(int k, int t) => prefix[t] - prefix[k - 1];

    /// <summary>Throws unless <paramref name="t"/> is a step 1…T of this trace.</summary>
    internal int CheckStep(double t, string name)
    {
        if (t != Math.Floor(t) || t < 1 || t > Steps)
            throw new ArgumentOutOfRangeException(name, t, $"step must be an integer in [1, {Steps}].");
        return (int)t;
    }

    /// <summary>Checks a loss-curve law's inputs (trace index, step) against <paramref name="traces"/> and copies them to
    /// the features; shared by the laws that read a point's schedule from a list of traces.</summary>
    internal static void PrepareInputs(LearningRateTrace[] traces, ReadOnlySpan<double> inputs, Span<double> features)
    {
        double index = inputs[0];
        if (index != Math.Floor(index) || index < 0 || index >= traces.Length)
            throw new ArgumentOutOfRangeException("trace", index, $"trace must be an integer index in [0, {traces.Length - 1}].");
        traces[(int)index].CheckStep(inputs[1], "step");
        inputs.CopyTo(features);
    }
}
