namespace LossLab.Scaling;

/// <summary>
/// The multi-power law for loss curves under a learning-rate schedule (Luo et al. 2025, "A Multi-Power Law for Loss
/// Curve Prediction Across Learning Rate Schedules", arXiv:2503.12811):
/// L(t) = L₀ + A·(S₁(t) + S_W)^(−α) − LD(t), LD(t) = B·Σ_{k=1..t} (η_{k−1} − η_k)·G(η_k^(−γ)·S_k(t)),
/// G(x) = 1 − (C·x + 1)^(−β), S₁(t) = Σ_{τ≤t} η_τ, S_k(t) = Σ_{τ=k..t} η_τ. Seven parameters in order
/// L0, A, alpha, B, C, beta, gamma, all positive and fitted in log space. Reported fit for a 400M model:
/// L₀ = 2.375, A = 0.654, α = 0.429, B = 523.4, C = 2.025, β = 0.594, γ = 0.635.
/// Inputs: the index of a trace among those given to the constructor, and the step t (1…T) after warm-up.
/// </summary>
public sealed class MultiPowerLaw : ScalingLaw
{
    readonly LearningRateTrace[] traces;
    readonly (int K, double Drop, double LogRate)[][] drops;

    /// <summary>Declares the law over the schedules <paramref name="traces"/> (a point names its trace by index).</summary>
    /// <exception cref="ArgumentException">No traces.</exception>
    public MultiPowerLaw(IReadOnlyList<LearningRateTrace> traces) : base("multi-power law",
        "L(t) = L₀ + A·(S₁(t) + S_W)^(−α) − B·Σ_k (η_{k−1} − η_k)·[1 − (C·η_k^(−γ)·S_k(t) + 1)^(−β)]", ["trace", "step"],
    [
        new("L0", true, "asymptotic loss"),
        new("A", true, "power-law coefficient"),
        new("alpha", true, "power-law exponent"),
        new("B", true, "loss-drop coefficient"),
        new("C", true, "loss-drop rate"),
        new("beta", true, "loss-drop exponent"),
        new("gamma", true, "learning-rate exponent of the drop"),
    ])
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0) throw new ArgumentException("traces must hold at least one schedule.", nameof(traces));
        this.traces = [.. traces];
        drops = new (int, double, double)[this.traces.Length][];
        for (int i = 0; i < this.traces.Length; i++)
        {
            var tr = this.traces[i];
            var list = new List<(int, double, double)>();
            for (int k = 1; k <= tr.Steps; k++)
            {
                double drop = tr.Rate(k - 1) - tr.Rate(k);
                if (drop != 0) list.Add((k, drop, Math.Log(tr.Rate(k))));
            }
            drops[i] = [.. list];
        }
    }

    /// <summary>The schedules.</summary>
    public IReadOnlyList<LearningRateTrace> Traces => traces;

    /// <summary>Checks the trace index and step.</summary>
    public override void Prepare(ReadOnlySpan<double> inputs, Span<double> features) =>
        LearningRateTrace.PrepareInputs(traces, inputs, features);

    /// <inheritdoc/>
    public override double LogValue(ReadOnlySpan<double> theta, ReadOnlySpan<double> features, Span<double> gradient)
    {
        int i = (int)features[0], t = (int)features[1];
        var tr = traces[i];
        double l0 = Math.Exp(theta[0]), a = Math.Exp(theta[1]), alpha = Math.Exp(theta[2]);
        double b = Math.Exp(theta[3]), c = Math.Exp(theta[4]), beta = Math.Exp(theta[5]), gamma = Math.Exp(theta[6]);
        double area = tr.ForwardArea(t) + tr.WarmupArea, logArea = Math.Log(area);
        double power = a * Math.Exp(-alpha * logArea);
        double sumG = 0, sumC = 0, sumBeta = 0, sumGamma = 0;
        double st = tr.ForwardArea(t);
        foreach (var (k, drop, logRate) in drops[i])
        {
            if (k > t) break;
            double z = Math.Exp(-gamma * logRate) * (st - tr.ForwardArea(k - 1));
            double q = c * z + 1, logQ = Math.Log(q), qb = Math.Exp(-beta * logQ);
            sumG += drop * (1 - qb);
            if (gradient.IsEmpty) continue;
            double dqb = beta * qb / q;   // −∂q^(−β)/∂q
            sumC += drop * dqb * z;
            sumBeta += drop * qb * logQ;
            sumGamma += drop * dqb * c * z * logRate;
        }
        double loss = l0 + power - b * sumG;
        if (!(loss > 0)) return double.NaN;
        if (!gradient.IsEmpty)
        {
            double inv = 1 / loss;
            gradient[0] = l0 * inv;
            gradient[1] = power * inv;
            gradient[2] = -alpha * power * logArea * inv;
            gradient[3] = -b * sumG * inv;
            gradient[4] = -c * b * sumC * inv;
            gradient[5] = -beta * b * sumBeta * inv;
            gradient[6] = gamma * b * sumGamma * inv;
        }
        return Math.Log(loss);
    }
}
