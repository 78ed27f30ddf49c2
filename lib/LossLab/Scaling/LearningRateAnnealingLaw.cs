namespace LossLab.Scaling;

/// <summary>
/// The scaling law with learning-rate annealing (Tissue et al. 2024, "Scaling Law with Learning Rate Annealing",
/// arXiv:2408.11029): L(s) = L₀ + A·S₁^(−α) − C·S₂, with forward area S₁ = S_W + Σ_{i≤s} η_i and annealing area
/// S₂ = Σ_{i≤s} m_i, m_i = λ·m_{i−1} + (η_{i−1} − η_i) (λ ≈ 0.999). Four parameters in order L0, A, alpha, C, positive
/// and fitted in log space. Inputs: a trace index and the step s (1…T) after warm-up.
/// </summary>
public sealed class LearningRateAnnealingLaw : ScalingLaw
{
    readonly LearningRateTrace[] traces;
    readonly double[][] forward, annealing;

    /// <summary>Declares the law over <paramref name="traces"/> with momentum <paramref name="lambda"/> (paper: 0.999).</summary>
    /// <exception cref="ArgumentException">No traces.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> outside [0, 1).</exception>
    public LearningRateAnnealingLaw(IReadOnlyList<LearningRateTrace> traces, double lambda = 0.999) : base("learning-rate annealing law",
        "L(s) = L₀ + A·S₁^(−α) − C·S₂", ["trace", "step"],
    [
        new("L0", true, "asymptotic loss"),
        new("A", true, "power-law coefficient"),
        new("alpha", true, "power-law exponent"),
        new("C", true, "annealing coefficient"),
    ])
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0) throw new ArgumentException("traces must hold at least one schedule.", nameof(traces));
        if (!(lambda >= 0 && lambda < 1)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must lie in [0, 1).");
        Lambda = lambda;
        this.traces = [.. traces];
        forward = new double[this.traces.Length][];
        annealing = new double[this.traces.Length][];
        for (int i = 0; i < this.traces.Length; i++)
        {
            var tr = this.traces[i];
            var s1 = forward[i] = new double[tr.Steps + 1];
            var s2 = annealing[i] = new double[tr.Steps + 1];
            double momentum = 0;
            s1[0] = tr.WarmupArea;
            for (int s = 1; s <= tr.Steps; s++)
            {
                momentum = lambda * momentum + (tr.Rate(s - 1) - tr.Rate(s));
                s1[s] = s1[s - 1] + tr.Rate(s);
                s2[s] = s2[s - 1] + momentum;
            }
        }
    }

    /// <summary>The momentum λ of the annealing area.</summary>
    public double Lambda { get; }

    /// <summary>S₁ of trace <paramref name="trace"/> at step <paramref name="step"/>.</summary>
    public double ForwardArea(int trace, int step) => forward[trace][step];

    /// <summary>S₂ of trace <paramref name="trace"/> at step <paramref name="step"/>.</summary>
    public double AnnealingArea(int trace, int step) => annealing[trace][step];

    /// <summary>Checks the trace index and step.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features) =>
        LearningRateTrace.PrepareInputs(traces, inputs, features);

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        int i = (int)features[0], s = (int)features[1];
        double s1 = forward[i][s], s2 = annealing[i][s], logS1 = Math.Log(s1);
        double l0 = Math.Exp(theta[0]), alpha = Math.Exp(theta[2]), c = Math.Exp(theta[3]);
        double power = Math.Exp(theta[1] - alpha * logS1);
        double loss = l0 + power - c * s2;
        if (!(loss > 0)) return double.NaN;
        if (!gradient.IsEmpty)
        {
            double inv = 1 / loss;
            gradient[0] = l0 * inv;
            gradient[1] = power * inv;
            gradient[2] = -alpha * power * logS1 * inv;
            gradient[3] = -c * s2 * inv;
        }
        return Math.Log(loss);
    }
}
